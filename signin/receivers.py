"""allauth's signals about second factors and passwords, written to the audit trail. (allauth sits
below us and tells what happened by signals; sign-ins themselves are recorded by the adapter.)"""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.dispatch import receiver

from audit.models import AuditEvent

from .events import signin_event_record


def _mfa_changed(change: str):
    def record(sender, request, user, authenticator, **kwargs) -> None:
        signin_event_record(
            request=request,
            action=AuditEvent.Action.MFA_CHANGED,
            user=user,
            details={"change": change, "type": authenticator.type},
        )

    return record


# weak=False: the receivers are made here and referenced nowhere else.
mfa_signals.authenticator_added.connect(_mfa_changed("added"), weak=False)
mfa_signals.authenticator_removed.connect(_mfa_changed("removed"), weak=False)
mfa_signals.authenticator_reset.connect(_mfa_changed("reset"), weak=False)


@receiver(mfa_signals.authentication_failed)
def _wrong_code(sender, request, user, authenticator, **kwargs) -> None:
    signin_event_record(
        request=request,
        action=AuditEvent.Action.SIGN_IN_FAILED,
        username=user.get_username(),
        details={"reason": "wrong_code", "type": authenticator.type},
    )


def _password_changed(change: str):
    def record(sender, request, user, **kwargs) -> None:
        signin_event_record(
            request=request,
            action=AuditEvent.Action.PASSWORD_CHANGED,
            user=user,
            details={"change": change},
        )

    return record


account_signals.password_changed.connect(_password_changed("changed"), weak=False)
account_signals.password_set.connect(_password_changed("set"), weak=False)
account_signals.password_reset.connect(_password_changed("reset"), weak=False)
