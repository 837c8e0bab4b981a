"""Closing the loop: follow-up cases on detractors and per-team rules."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models import Response, Team
from surveys.scales import NPS, scale_for


class TeamRules(models.Model):
    """A team's follow-up rules. A team without a row uses the defaults."""

    DEFAULT_THRESHOLD = NPS.follow_up_at

    team = models.OneToOneField(
        Team, models.CASCADE, related_name="followup_rules", verbose_name=_("team")
    )
    detractor_threshold = models.PositiveSmallIntegerField(
        _("follow-up threshold"),
        default=DEFAULT_THRESHOLD,
        # On 0–10: NPS answers only (threshold_for gives the other scales' rule).
        help_text=_("A score at or below this opens a follow-up case and alerts the team leads."),
    )
    rate_customers = models.BooleanField(
        _("agents rate the collaboration"),
        default=False,
        help_text=_(
            "Lets agents rate the collaboration with a requester (0–10) when closing a ticket. "
            "Only enable this after prior agreement with the organisation (works council, "
            "privacy officer): ratings are shown only per department, never per person."
        ),
    )

    class Meta:
        verbose_name = _("team rules")
        verbose_name_plural = _("team rules")

    def __str__(self):
        return str(self.team)

    def threshold_for(self, question_type: str) -> int:
        """The score at or below which an answer on this question type's scale opens a case.

        NPS: the team's own threshold, on 0–10. CSAT and CES: their scale's bad band (1–2 of
        5, 1–3 of 7, surveys/scales.py), since a threshold set on 0–10 says nothing on a
        shorter scale; a team that changes type keeps a sensible rule without a new setting.
        """
        if question_type == NPS.key:
            return self.detractor_threshold
        return scale_for(question_type).follow_up_at

    @classmethod
    def for_team(cls, team_id: int) -> "TeamRules":
        return cls.objects.filter(team_id=team_id).first() or cls(team_id=team_id)


class FollowUpCase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CONTACTED = "contacted", _("contacted")
        RESOLVED = "resolved", _("resolved")
        NO_ACTION = "no_action", _("no action needed")

    response = models.OneToOneField(
        Response, models.CASCADE, related_name="followup", verbose_name=_("response")
    )
    team = models.ForeignKey(Team, models.PROTECT, related_name="followups", verbose_name=_("team"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # The score that opened the case, and the latest one: a changed answer shows on the case.
    opening_score = models.PositiveSmallIntegerField(_("score when opened"))
    latest_score = models.PositiveSmallIntegerField(_("latest score"))
    opened_at = models.DateTimeField(_("opened at"))
    due_at = models.DateTimeField(_("due at"))
    followed_up_at = models.DateTimeField(
        _("followed up at"),
        null=True,
        blank=True,
        help_text=_("When the case first left the open status."),
    )
    alerted_at = models.DateTimeField(_("alerted at"), null=True, blank=True)
    webhook_posted_at = models.DateTimeField(_("chat alert posted at"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("follow-up case")
        verbose_name_plural = _("follow-up cases")
        indexes = [
            # The team section counts one team's open and overdue cases.
            models.Index(fields=["team", "status", "due_at"], name="followup_team_status_idx"),
        ]

    def __str__(self):
        invitation = self.response.invitation
        ticket = invitation.ticket if invitation is not None else None
        return f"{ticket or self.team} ({self.latest_score})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def is_overdue(self, now) -> bool:
        return self.is_open and now >= self.due_at

    @property
    def followed_up_in_time(self) -> bool:
        return self.followed_up_at is not None and self.followed_up_at <= self.due_at

    @property
    def score_changed(self) -> bool:
        return self.latest_score != self.opening_score


class CaseNote(models.Model):
    """A note by a person, or an event the system recorded (changed answer, status change).

    Events keep their values, not a sentence, so each reader sees them in their own language.
    """

    class Kind(models.TextChoices):
        NOTE = "note", _("note")
        SCORE_CHANGED = "score", _("answer changed")
        STATUS_CHANGED = "status", _("status changed")
        OWNER_CHANGED = "owner", _("owner changed")

    case = models.ForeignKey(
        FollowUpCase, models.CASCADE, related_name="notes", verbose_name=_("case")
    )
    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices, default=Kind.NOTE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), max_length=5000, blank=True)
    old_value = models.CharField(_("old value"), max_length=150, blank=True)
    new_value = models.CharField(_("new value"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self):
        return self.text[:50] or f"{self.kind}: {self.old_value} → {self.new_value}"

    def _label(self, value: str) -> str:
        if self.kind == self.Kind.STATUS_CHANGED and value in FollowUpCase.Status.values:
            return str(FollowUpCase.Status(value).label)
        return value

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)
