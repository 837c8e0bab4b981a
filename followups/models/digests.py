"""Weekly digests: a row per (user, kind, period) claimed before sending, so a beat that fires
twice, or two workers, still send each digest once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DigestSent(models.Model):
    class Kind(models.TextChoices):
        LEAD = "lead", _("team lead digest")
        AGENT = "agent", _("personal digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    period_until = models.DateField(_("period until"))
    claimed_at = models.DateTimeField(_("claimed at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-period_until", "user_id"]
        verbose_name = _("sent digest")
        verbose_name_plural = _("sent digests")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "period_until"], name="digest_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.user} {self.kind} {self.period_until}"
