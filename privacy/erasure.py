"""Erasure requests (GDPR article 17): remove everything held about an address, in one
transaction, except the bare scores, which stay as unlinked answers and invitation counts so
that team figures, response rates and the rollups stay exactly as they were."""

from datetime import datetime
from typing import Unpack

from django.db import transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record

from .forgetting import OPT_OUTS_KEPT, addresses_forget
from .holdings import Holdings, holdings_for
from .unlinking import (
    CAMPAIGN_UNSENT,
    UNSENT,
    campaign_answers_unlink,
    campaign_invitations_unlink,
    invitations_unlink,
    responses_unlink,
)


class NothingHeld(Exception):
    """Nothing is held about the address (never known, or erased before: see `erased_at`)."""

    def __init__(self, erased_at: datetime | None):
        super().__init__("nothing held")
        self.erased_at = erased_at


def _deleted(queryset) -> int:
    _total, by_model = queryset.delete()
    return by_model.get(queryset.model._meta.label, 0)


def _erase(held: Holdings, now: datetime) -> dict[str, int]:
    counts = {}
    # Surveys not yet sent are dropped: a planned survey cannot be counted without its person.
    counts["planned surveys"] = _deleted(held.invitations.filter(status__in=UNSENT))
    counts["periodic surveys planned"] = _deleted(
        held.campaign_invitations.filter(status__in=CAMPAIGN_UNSENT)
    )
    # The logs and copies first: they are found through the rows unlinked below.
    counts["case notes"] = _deleted(held.case_notes)
    counts["customer ratings"] = _deleted(held.ratings)
    counts["link clicks"] = _deleted(held.clicks)
    counts["connector deliveries"] = _deleted(held.deliveries)
    counts["sent mail copies"] = _deleted(held.sent_mail)
    counts["admin history entries"] = _deleted(held.admin_history)
    # Then the answers and surveys become counts, and what they pointed at can go.
    counts["answers unlinked"] = responses_unlink(held.responses)
    counts["surveys unlinked"] = invitations_unlink(held.invitations, keep_ticket=False)
    counts["periodic answers unlinked"] = campaign_answers_unlink(held.campaign_answers)
    counts["periodic surveys unlinked"] = campaign_invitations_unlink(held.campaign_invitations)
    counts["tickets"] = _deleted(held.tickets)
    requesters = list(held.requesters)
    opted_out = {held.email} if any(r.is_opted_out for r in requesters) else set()
    forgotten = addresses_forget(emails={held.email}, opted_out=opted_out, now=now)
    counts["suppressions"] = forgotten["suppressions"]
    counts["requesters"] = _deleted(held.requesters)
    counts[OPT_OUTS_KEPT] = forgotten[OPT_OUTS_KEPT] or int(held.hash_suppressions.exists())
    return counts


def person_erase(*, email: str, **who: Unpack[Actor]) -> dict[str, int]:
    """Erase everything held about `email`; returns what was removed, per kind. `who` (actor,
    actor_label, ip) goes to the audit trail.

    Raises NothingHeld when nothing is held (an unknown address, or one erased before)."""
    held = holdings_for(email)
    now = timezone.now()
    with transaction.atomic():
        if held.is_empty():
            raise NothingHeld(_erased_at(held))
        counts = _erase(held, now)
        audit_record(
            action=AuditEvent.Action.PERSON_ERASED,
            target=held.audit_target,
            details=counts,
            **who,
        )
    return counts


def _erased_at(held: Holdings) -> datetime | None:
    erasures = AuditEvent.objects.filter(
        action=AuditEvent.Action.PERSON_ERASED, target=held.audit_target
    )
    event = erasures.order_by("-when").first()
    return event.when if event else None
