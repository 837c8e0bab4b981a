"""The detractor alert's e-mails: one row per team lead of a new case, in the delivery engine's
outbox, so that each lead's e-mail is claimed, retried and reclaimed on its own (a refusal for one
lead no longer sends the other leads theirs a second time)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from delivery.engine import Outgoing

from .cases import FollowUpCase


class CaseAlert(Outgoing):
    case = models.ForeignKey(
        FollowUpCase, models.CASCADE, related_name="alerts", verbose_name=_("case")
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("team lead")
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("case alert")
        verbose_name_plural = _("case alerts")
        constraints = [
            models.UniqueConstraint(fields=["case", "lead"], name="case_alert_once_per_lead")
        ]
        indexes = [
            # The engine's claim: planned alerts by send time.
            models.Index(
                fields=["send_after"], condition=Q(status="planned"), name="case_alert_due_idx"
            ),
        ]

    def __str__(self):
        return f"{self.case} → {self.lead}"


class CaseWebhookPost(Outgoing):
    """The case's post to its team's chat webhook (ITPULSE_TEAM_WEBHOOKS), an outgoing message
    like the e-mails: claimed, retried with backoff, reclaimed. The address is not stored: it is
    a secret of the environment, read when the post goes out."""

    case = models.OneToOneField(
        FollowUpCase, models.CASCADE, related_name="webhook_post", verbose_name=_("case")
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("chat alert")
        verbose_name_plural = _("chat alerts")
        indexes = [
            # The engine's claim: planned posts by send time.
            models.Index(
                fields=["send_after"], condition=Q(status="planned"), name="case_webhook_due_idx"
            ),
        ]

    def __str__(self):
        return str(self.case)
