"""Sign-in events in the audit trail: who signed in, failed, was locked out or signed out, from
which address. A failed attempt names the account it tried (by id and username) only when that
account exists: an unknown "username" may well be a password typed in the wrong field."""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from audit.models import AuditEvent
from audit.services import audit_record
from surveys.client_address import client_address


def client_ip(request: HttpRequest) -> str:
    return client_address(request)


def signin_event_record(
    *,
    request: HttpRequest,
    action: AuditEvent.Action,
    user=None,
    username: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """`user` acted (signed in or out); `username` is the account an attempt was made on."""
    details = dict(details or {})
    target = ""
    if user is not None:
        target = f"user {user.pk}"
    elif username:
        tried = get_user_model().objects.filter(username=username).first()
        if tried is not None:
            target = f"user {tried.pk}"
            details["username"] = tried.get_username()
        else:
            details["unknown_username"] = True
    return audit_record(
        action=action, actor=user, target=target, ip=client_ip(request), details=details
    )
