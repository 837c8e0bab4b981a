"""Delivery rules per team (with one organisation default) and addresses that must get no mail."""

import hashlib
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from scoring.digests import DigestKind

from .engine import Outgoing


def default_throttle_days() -> int:
    return settings.ITPULSE_THROTTLE_DAYS


def default_link_valid_days() -> int:
    return settings.ITPULSE_LINK_VALID_DAYS


class DeliveryRule(models.Model):
    """When and to whom a team's surveys go. The rule without a team is the organisation's."""

    team = models.OneToOneField(
        "surveys.Team",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="delivery_rule",
        verbose_name=_("team"),
        help_text=_("Leave empty for the organisation's default rule."),
    )
    send_delay_minutes = models.PositiveIntegerField(
        _("send delay (minutes)"), default=0, help_text=_("Wait this long after the ticket closed.")
    )
    office_hours_start = models.TimeField(
        _("office hours from"),
        null=True,
        blank=True,
        help_text=_("In the requester's time zone. Empty: send at any hour."),
    )
    office_hours_end = models.TimeField(_("office hours until"), null=True, blank=True)
    office_days = models.CharField(
        _("office days"),
        max_length=7,
        default="12345",
        validators=[RegexValidator(r"^[1-7]{1,7}$", _("Digits 1 (Monday) to 7 (Sunday)."))],
        help_text=_("Days of the week as digits, 1 = Monday … 7 = Sunday."),
    )
    sample_percent = models.PositiveSmallIntegerField(
        _("sample (%)"),
        default=100,
        validators=[MaxValueValidator(100)],
        help_text=_("Survey this share of closed tickets, chosen fairly and reproducibly."),
    )
    throttle_days = models.PositiveSmallIntegerField(
        _("throttle (days)"),
        default=default_throttle_days,
        help_text=_("At most one survey per requester in this many days, across all teams."),
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("reminder after (days)"),
        null=True,
        blank=True,
        help_text=_("One reminder when still unanswered. Empty: no reminder."),
    )
    link_valid_days = models.PositiveSmallIntegerField(
        _("link valid (days)"), default=default_link_valid_days
    )
    excluded_addresses = models.TextField(
        _("excluded addresses"),
        blank=True,
        help_text=_("One per line: an address (ann@example.org) or a whole domain (@example.org)."),
    )
    exclude_service_accounts = models.BooleanField(
        _("exclude service accounts"),
        default=True,
        help_text=_("No surveys to addresses such as noreply@ or svc-backup@."),
    )

    class Meta:
        verbose_name = _("delivery rule")
        verbose_name_plural = _("delivery rules")

    def __str__(self) -> str:
        return str(self.team) if self.team_id else str(_("Organisation default"))

    def clean(self) -> None:
        if (self.office_hours_start is None) != (self.office_hours_end is None):
            raise ValidationError(_("Give both ends of the office hours, or neither."))
        start, end = self.office_hours_start, self.office_hours_end
        if start is not None and end is not None and start >= end:
            raise ValidationError(_("Office hours must end after they start."))
        default = DeliveryRule.objects.filter(team=None).exclude(pk=self.pk)
        if self.team_id is None and default.exists():
            raise ValidationError(_("There is already an organisation default rule."))

    @property
    def exclusions(self) -> set[str]:
        return {
            line.strip().lower() for line in self.excluded_addresses.splitlines() if line.strip()
        }

    def is_excluded(self, email: str) -> str:
        """The reason an address is excluded by this rule, or ""."""
        email = email.lower()
        exclusions = self.exclusions
        if email in exclusions:
            return "excluded address"
        domain = email.rpartition("@")[2]
        if f"@{domain}" in exclusions or domain in exclusions:
            return "excluded domain"
        return ""

    def in_office_hours(self, when: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
        """The first moment at or after `when` that is inside office hours in `zone`."""
        start, end = self.office_hours_start, self.office_hours_end
        if start is None or end is None:  # clean() sets both or neither
            return when
        local = when.astimezone(zone)
        days = {int(d) for d in self.office_days} or {1, 2, 3, 4, 5}
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            if day.isoweekday() not in days:
                continue
            opens = datetime.combine(day, start, tzinfo=zone)
            closes = datetime.combine(day, end, tzinfo=zone)
            if offset == 0 and opens <= local < closes:
                return when
            if local < opens:
                return opens.astimezone(when.tzinfo)
        return when  # unreachable with at least one office day; never lose the survey


def address_hash(email: str) -> str:
    """sha256 of the lower-cased address: how an address is named once the address itself may
    no longer be kept (an erased or expired person's opt-out, the audit trail of an erasure)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class SuppressedAddress(models.Model):
    """An address that gets no survey until staff remove it: it bounced, complained, or belongs
    to a person who opted out and whose data was erased since (then only its hash is kept)."""

    class Reason(models.TextChoices):
        BOUNCED = "bounced", _("bounced")
        COMPLAINED = "complained", _("complained (marked as spam)")
        OPTED_OUT = "opted_out", _("opted out (address erased)")

    # Empty when only the hash is kept: the person asked to be forgotten, yet never surveyed.
    email = models.EmailField(_("e-mail"), unique=True, null=True, blank=True)
    email_hash = models.CharField(
        _("address hash"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("suppressed at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(email_hash__isnull=False),
                name="suppressed_address_or_hash",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email or self.email_hash} ({self.reason})"


class Digest(Outgoing):
    """One weekly digest of one user for one period: a row of the delivery engine's outbox
    (delivery/digests.py plans it, scoring/digests.py writes it). At most one row per user, kind
    and period, so a beat that fires twice, or two workers, plan and send each digest once."""

    Kind = DigestKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=5, choices=DigestKind.choices)
    period_until = models.DateField(_("period until"))

    class Meta:
        ordering = ["-period_until", "user_id"]
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "period_until"], name="digest_once_per_period"
            )
        ]
        indexes = [
            # The engine's claim: planned digests by send time.
            models.Index(
                fields=["send_after"],
                condition=models.Q(status="planned"),
                name="digest_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.period_until}"


class Bounce(models.Model):
    """One delivery report (RFC 3464) a relay sent back about a survey e-mail, read from
    ITPULSE_BOUNCE_MAILBOX (delivery/bounces.py). A hard one (5.x.x) suppressed the address
    through the same service as a provider's bounce webhook; a soft one (4.x.x) is only counted."""

    invitation = models.ForeignKey(
        "surveys.Invitation",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="bounces",
        verbose_name=_("survey"),
    )
    # sha256 of the report's own Message-ID: a report delivered twice, or read again after a
    # crash between recording it and marking it seen, is recorded once.
    report_key = models.CharField(max_length=64, unique=True, editable=False)
    action = models.CharField(_("action"), max_length=10)
    status = models.CharField(_("status"), max_length=12, help_text=_("RFC 3463, e.g. 5.1.1"))
    is_hard = models.BooleanField(_("hard bounce"))
    diagnostic = models.CharField(_("diagnostic"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("received at"), db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")

    def __str__(self) -> str:
        return f"{self.status} ({self.action})"
