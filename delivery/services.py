"""Delivery writes: sending one invitation, a second chance for a failed one, suppressing
addresses that bounce or complain (opt-out: surveys.services)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from surveys.models import Invitation

from . import dispatch
from .models import SuppressedAddress
from .tasks import nudge


def invitation_send(*, invitation_id: int, now: datetime | None = None) -> bool:
    """Send one invitation's e-mail if this caller wins the claim. Returns whether it sent.

    The conditional UPDATE is the claim: of any number of workers given the same id, only the
    one that moves the row from planned to sending goes on, so a task delivered twice sends once.
    """
    return dispatch.send_one(invitation_id=invitation_id, now=now or timezone.now()).sent == 1


def invitation_resend(*, invitation: Invitation) -> bool:
    """Put a failed (or still planned) invitation back in line for sending, with fresh retries."""
    updated = Invitation.objects.filter(id=invitation.id, status__in=Invitation.RESENDABLE).update(
        status=Invitation.Status.PLANNED, reason="", send_after=timezone.now(), attempts=0
    )
    if updated:
        transaction.on_commit(nudge)
    return bool(updated)


def address_suppress(
    *, email: str, reason: str, detail: str = "", now: datetime | None = None
) -> SuppressedAddress:
    """An address bounced or complained: send it nothing more, and say why on the failed survey."""
    now = now or timezone.now()
    email = email.strip().lower()
    with transaction.atomic():
        suppressed, _created = SuppressedAddress.objects.get_or_create(
            email=email, defaults={"reason": reason, "detail": detail[:255], "created_at": now}
        )
        invitations = Invitation.objects.filter(requester__email=email)
        invitations.filter(status=Invitation.Status.PLANNED).update(
            status=Invitation.Status.SUPPRESSED, reason=reason
        )
        if reason == SuppressedAddress.Reason.BOUNCED:
            # The last survey sent to this address never arrived.
            last = invitations.filter(status=Invitation.Status.SENT).order_by("-sent_at").first()
            if last is not None:
                Invitation.objects.filter(pk=last.pk, status=Invitation.Status.SENT).update(
                    status=Invitation.Status.FAILED, reason=f"bounced: {detail}"[:255]
                )
    return suppressed
