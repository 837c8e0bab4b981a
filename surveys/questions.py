"""The built-in wording of each question type, used when a team has not written its own.

Every text goes through gettext, so it is asked in the requester's language when called inside
`translation.override(requester.language)`. The question types live here, beside their
wordings; models.py imports them from here (never the other way).
"""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class QuestionType(models.TextChoices):
    NPS = "nps", gettext_lazy("Recommendation (NPS)")
    # "service" is the value stored since the first release: renaming it would break the
    # API's and the exports' question_type and every stored team.
    SERVICE = "service", gettext_lazy("Satisfaction (CSAT)")
    EFFORT = "effort", gettext_lazy("Effort (CES)")


def default_question(question_type: str, team: str) -> str:
    if question_type == QuestionType.NPS:
        return _("How likely are you to recommend the %(team)s team to a colleague?") % {
            "team": team
        }
    if question_type == QuestionType.EFFORT:
        return _("How easy did the %(team)s team make it to get your request handled?") % {
            "team": team
        }
    return _("How satisfied are you with the service you received?")


def default_follow_up() -> str:
    return _("What could we do better?")


def scale_ends(question_type: str) -> tuple[str, str]:
    """Labels for both ends of the type's scale, so that it reads right for the question."""
    if question_type == QuestionType.NPS:
        return _("0 = not at all likely"), _("10 = extremely likely")
    if question_type == QuestionType.EFFORT:
        return _("1 = very hard"), _("7 = very easy")
    return _("1 = very dissatisfied"), _("5 = very satisfied")


def score_error(question_type: str) -> str:
    """What a requester reads when no score, or one outside the scale, reached us."""
    if question_type == QuestionType.EFFORT:
        return _("Please choose a score from 1 to 7.")
    if question_type == QuestionType.SERVICE:
        return _("Please choose a score from 1 to 5.")
    return _("Please choose a score from 0 to 10.")


def band_labels(question_type: str) -> tuple[str, str, str]:
    """The good, middle and bad band's names in the plural, as a dashboard counts them."""
    if question_type == QuestionType.EFFORT:
        return _("easy"), _("neutral"), _("difficult")
    if question_type == QuestionType.SERVICE:
        return _("satisfied"), _("neutral"), _("dissatisfied")
    return _("promoters"), _("passives"), _("detractors")


def measure_label(question_type: str) -> str:
    """The headline figure's name, as a dashboard heads its column."""
    if question_type == QuestionType.EFFORT:
        return _("CES (mean, 1–7)")
    if question_type == QuestionType.SERVICE:
        return _("CSAT (% 4–5)")
    return _("NPS")
