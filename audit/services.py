"""Writing the audit trail. Records are only ever added: no service changes or removes one."""

from typing import Any, TypedDict

from django.utils import timezone

from .models import AuditEvent


class Actor(TypedDict, total=False):
    """Who acts, as services that record pass it on: `**who: Unpack[Actor]`."""

    actor: Any  # a user, or None
    actor_label: str
    ip: str | None


def audit_record(
    *,
    action: str,
    actor=None,
    actor_label: str = "",
    target: str = "",
    ip: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    if action not in AuditEvent.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if actor is not None and not actor_label:
        actor_label = actor.get_username()
    return AuditEvent.objects.create(
        when=timezone.now(),
        actor=actor,
        actor_label=actor_label,
        action=action,
        target=target,
        ip=ip or None,
        details=details or {},
    )
