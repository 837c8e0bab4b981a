"""Delivery writes: suppressing addresses that bounce or complain (opt-out: surveys.services)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from surveys.models import Invitation

from .models import SuppressedAddress


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
