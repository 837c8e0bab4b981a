"""Forgetting people: their requester rows and the address suppressions naming them.

Someone who opted out (or marked a survey as spam) must stay unsurveyed after being forgotten,
so their address is replaced by its hash in an opt-out suppression (delivery/rules.py
checks it whenever a ticket for that address closes again). Everyone else leaves nothing.
"""

from datetime import datetime

from django.db.models import QuerySet

from delivery.models import SuppressedAddress, address_hash
from surveys.models import Requester

OPT_OUTS_KEPT = "opt-outs kept as a hash"


def addresses_forget(*, emails: set[str], opted_out: set[str], now: datetime) -> dict[str, int]:
    """Remove the suppressions naming these (lower-cased) addresses; keep the hash of those that
    opted out or complained. Returns the suppressions removed and the opt-out hashes added."""
    named = SuppressedAddress.objects.filter(email__in=emails)
    complained = SuppressedAddress.Reason.COMPLAINED
    complainers = named.filter(reason=complained).values_list("email", flat=True)
    opted_out = opted_out | {email for email in complainers if email}
    removed, _by_model = named.delete()
    kept = 0
    for email in opted_out:
        _row, created = SuppressedAddress.objects.get_or_create(
            email_hash=address_hash(email),
            defaults={"reason": SuppressedAddress.Reason.OPTED_OUT, "created_at": now},
        )
        kept += created
    return {"suppressions": removed, OPT_OUTS_KEPT: kept}


def requesters_forget(requesters: QuerySet[Requester], *, now: datetime) -> dict[str, int]:
    """Delete requesters that nothing points at any more, with their address suppressions."""
    rows = list(requesters.only("id", "email", "opted_out_at"))
    emails = {row.email.lower() for row in rows}
    opted_out = {row.email.lower() for row in rows if row.is_opted_out}
    counts = addresses_forget(emails=emails, opted_out=opted_out, now=now)
    _total, by_model = Requester.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return {"requesters": by_model.get(Requester._meta.label, 0), **counts}
