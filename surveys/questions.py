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
    SERVICE = "service", gettext_lazy("Service rating")
    EFFORT = "effort", gettext_lazy("Effort")


def default_question(question_type: str, team: str) -> str:
    if question_type == QuestionType.NPS:
        return _("How likely are you to recommend the %(team)s team to a colleague?") % {
            "team": team
        }
    if question_type == QuestionType.EFFORT:
        return _("How much did the %(team)s team make it easier to do your work?") % {"team": team}
    return _("How would you rate the service you received?")


def default_follow_up() -> str:
    return _("What could we do better?")


def scale_ends(question_type: str) -> tuple[str, str]:
    """Labels for 0 and 10, so that the scale reads right for the question asked."""
    if question_type == QuestionType.NPS:
        return _("0 = not at all likely"), _("10 = extremely likely")
    if question_type == QuestionType.EFFORT:
        return _("0 = not at all"), _("10 = very much")
    return _("0 = very poor"), _("10 = excellent")
