"""What was done to personal data, by whom, when: the audit trail a privacy officer asks for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        PERSON_EXPORTED = "person_exported", _("personal data exported")
        PERSON_ERASED = "person_erased", _("personal data erased")
        RETENTION_APPLIED = "retention_applied", _("retention applied")
        TOKEN_CREATED = "token_created", _("API token created")
        TOKEN_REVOKED = "token_revoked", _("API token revoked")
        # Issue 14's events, declared together so that parallel work adds no migrations.
        ROLE_CHANGED = "role_changed", _("role or permission changed")
        SIGNED_IN = "signed_in", _("signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
        LOCKED_OUT = "locked_out", _("locked out after failed sign-ins")
        SIGNED_OUT = "signed_out", _("signed out")
        MFA_CHANGED = "mfa_changed", _("second factor changed")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        EXPORTED_WITH_IDENTITY = "exported_with_identity", _("export with identities")
        # Outgoing webhooks send answers out of the building (issue 16.4).
        WEBHOOK_CREATED = "webhook_created", _("webhook subscribed")
        WEBHOOK_DELETED = "webhook_deleted", _("webhook deleted")
        WEBHOOK_DISABLED = "webhook_disabled", _("webhook disabled after failures")
        # The settings area (/settings/, issue 17.1): declared together for every section, so
        # that parallel work adds no migrations. `details` names the section and what changed.
        SETTINGS_CHANGED = "settings_changed", _("settings changed")
        ACCOUNT_CHANGED = "account_changed", _("user account created or changed")

    when = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    # Who acted when no user did (a command, the beat), or the user's name after their account
    # is gone: the record must outlive the account.
    actor_label = models.CharField(_("actor label"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    # What the action was about, never a personal value itself: an erased address appears only
    # as its hash (sha256 of the lower-cased address).
    target = models.CharField(_("target"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-when", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["action", "-when"], name="auditevent_action_idx")]

    def __str__(self):
        return f"{self.get_action_display()} {self.target}"
