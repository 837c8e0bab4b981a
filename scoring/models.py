"""Rollups: counts per team (and agent) and day, so that no dashboard read grows with the number
of responses ever given.

A "day" is a calendar day in the organisation's zone (settings.TIME_ZONE), the same days the API's
since/until mean. The rows are kept right by the services in the same transaction as the response
or invitation they count (scoring/rollups.py); `manage.py rebuild_rollups` recounts them from the
raw rows, which is needed after changing TIME_ZONE.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.scales import CES, CSAT, NPS, scale_for

SCORES = NPS.scores  # one column per score: s0 … s10
# Each scale's columns: an answer counts in its own scale's (Response.question_type), so a
# day on which a team changed type holds both series side by side, never one mixed histogram.
PREFIXES = {NPS.key: "s", CSAT.key: "c", CES.key: "e"}


def columns(question_type: str) -> tuple[str, ...]:
    """The rollup columns of a question type's scale, lowest score first."""
    prefix = PREFIXES[question_type]
    return tuple(f"{prefix}{score}" for score in scale_for(question_type).scores)


def column(question_type: str, score: int) -> str:
    return f"{PREFIXES[question_type]}{score}"


ALL_COLUMNS = tuple(name for key in PREFIXES for name in columns(key))


class ScoreCounts(models.Model):
    """How many responses gave each score, per scale: 0–10 (s0…s10, NPS), 1–5 (c1…c5, CSAT)
    and 1–7 (e1…e7, CES). The scores and the distribution both follow."""

    s0 = models.IntegerField(default=0)
    s1 = models.IntegerField(default=0)
    s2 = models.IntegerField(default=0)
    s3 = models.IntegerField(default=0)
    s4 = models.IntegerField(default=0)
    s5 = models.IntegerField(default=0)
    s6 = models.IntegerField(default=0)
    s7 = models.IntegerField(default=0)
    s8 = models.IntegerField(default=0)
    s9 = models.IntegerField(default=0)
    s10 = models.IntegerField(default=0)
    c1 = models.IntegerField(default=0)
    c2 = models.IntegerField(default=0)
    c3 = models.IntegerField(default=0)
    c4 = models.IntegerField(default=0)
    c5 = models.IntegerField(default=0)
    e1 = models.IntegerField(default=0)
    e2 = models.IntegerField(default=0)
    e3 = models.IntegerField(default=0)
    e4 = models.IntegerField(default=0)
    e5 = models.IntegerField(default=0)
    e6 = models.IntegerField(default=0)
    e7 = models.IntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def histogram(self) -> tuple[int, ...]:
        """The NPS (0–10) counts."""
        return tuple(getattr(self, f"s{score}") for score in SCORES)

    def histogram_of(self, question_type: str) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in columns(question_type))


class TeamDailyScore(ScoreCounts):
    """One team's responses answered on a day, and its invitations sent on that day.

    `sent` and `answered` count invitations by the day they were sent (answered = of those, how
    many have a response), so that a response rate never exceeds 100%.
    """

    team = models.ForeignKey(
        "surveys.Team", models.CASCADE, related_name="daily_scores", verbose_name=_("team")
    )
    day = models.DateField(_("day"))
    sent = models.IntegerField(_("sent"), default=0)
    answered = models.IntegerField(_("answered"), default=0)

    class Meta:
        verbose_name = _("team day")
        verbose_name_plural = _("team days")
        constraints = [
            # Also the index of every dashboard read: one team, a range of days.
            models.UniqueConstraint(fields=["team", "day"], name="teamdailyscore_team_day")
        ]

    def __str__(self):
        return f"{self.team_id} {self.day}"


class DailyScore(ScoreCounts):
    """One agent's responses for one team answered on a day (responses without agent: none)."""

    team = models.ForeignKey(
        "surveys.Team", models.CASCADE, related_name="agent_daily_scores", verbose_name=_("team")
    )
    agent = models.ForeignKey(
        "surveys.Agent", models.CASCADE, related_name="daily_scores", verbose_name=_("agent")
    )
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("agent day")
        verbose_name_plural = _("agent days")
        constraints = [
            # Ordered for the per-agent table: one team, a range of days, grouped by agent.
            models.UniqueConstraint(
                fields=["team", "day", "agent"], name="dailyscore_team_day_agent"
            )
        ]

    def __str__(self):
        return f"{self.team_id} {self.agent_id} {self.day}"


class Target(models.Model):
    """A team's own aim for the headline of one question type's series (NPS, CSAT %, CES mean):
    drawn on its chart and named in its lead's digest, against its own past. Never compared
    between teams: no page lists targets or teams by them."""

    team = models.ForeignKey(
        "surveys.Team", models.CASCADE, related_name="targets", verbose_name=_("team")
    )
    # A type change starts a new series on another scale: its target is its own, and the old
    # series keeps the one it had.
    question_type = models.CharField(_("question type"), max_length=10)
    value = models.DecimalField(_("target"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["team", "question_type"], name="target_team_type")
        ]

    def __str__(self):
        return f"{self.team_id} {self.question_type} {self.value}"
