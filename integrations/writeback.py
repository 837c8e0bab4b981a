"""Write-back (issue 16.5): each answer's score and comment as an internal note on its ticket in
the helpdesk it came from, so that the agent's ticket view and the tool's own reports show it.

An answer is written back when its ticket's source is that of an active connector with
write-back switched on. `writeback_plan` (from surveys' response_settled signal, after the
answer's transaction) writes one `WriteBack` row; the delivery engine claims, sends (notes.py,
the tool's own REST call), retries with backoff and reclaims it like any outgoing message.

An anonymous team's answer is never written back: it is stored with no invitation and so no
ticket (surveys/unlinked.py), and putting it on the ticket would say whose it is. The same rule
is asked again when the note goes out (surveys/anonymity.py), so a team turned anonymous
meanwhile, or an answer unlinked by retention or erasure, writes nothing.
"""

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from delivery import engine
from delivery.engine import Prepared
from delivery.tasks import nudge
from surveys.anonymity import shown_ticket
from surveys.models import Response

from .models import Connector, WriteBack
from .notes import TOOLS, Note, note_send

# Why a planned write-back is not sent after all.
SWITCHED_OFF = "write-back switched off for the connector"
NOT_IDENTIFIED = "the answer no longer leads to a ticket (anonymous team, retention or erasure)"


def writeback_connector(response: Response) -> Connector | None:
    """The connector that writes this answer back, or None: not for an answer that does not
    identify its ticket, nor for a tool without a note call."""
    ticket = shown_ticket(response)
    if ticket is None:
        return None
    return (
        Connector.objects.filter(
            active=True, writeback=True, source=ticket.source, kind__in=list(TOOLS)
        )
        .order_by("id")
        .first()
    )


def writeback_plan(*, response: Response, now: datetime, new: bool) -> WriteBack | None:
    """Plan the answer's note; a note still waiting for this answer covers a quick change (it is
    written from the answer as it is when sent), and one already planned for this very answer
    or change (`now`: its time; a retried task) is not planned again."""
    connector = writeback_connector(response)
    if connector is None:
        return None
    notes = WriteBack.objects.filter(response=response)
    waiting = notes.filter(Q(status=WriteBack.Status.PLANNED) | Q(send_after=now)).first()
    if waiting is not None:
        return waiting
    row = WriteBack.objects.create(
        connector=connector, response=response, changed=not new, send_after=now
    )
    transaction.on_commit(nudge)
    return row


def note_text(response: Response, *, changed: bool) -> str:
    """What the agent reads on the ticket, in the organisation's language."""
    facts = {"score": response.score, "organisation": settings.ITPULSE_ORGANISATION}
    with translation.override(settings.LANGUAGE_CODE):
        if changed:
            first = translation.gettext(
                "%(organisation)s survey: the requester changed their score to %(score)s/10."
            )
        else:
            first = translation.gettext(
                "%(organisation)s survey: the requester gave a score of %(score)s/10."
            )
        lines = [first % facts]
        if response.comment:
            comment = {"comment": response.comment}
            lines.append(translation.gettext("Comment: %(comment)s") % comment)
    return "\n".join(lines)


def _builder(row: WriteBack) -> Callable[[], Note]:
    def build() -> Note:
        connector, response = row.connector, row.response
        ticket = shown_ticket(response)
        assert ticket is not None  # _prepare suppressed the rows without one
        return Note(
            tool=connector.kind,
            base_url=connector.api_url.rstrip("/"),
            user=connector.api_user,
            token=connector.api_token,
            ticket=ticket.external_id,
            text=note_text(response, changed=row.changed),
        )

    return build


def _prepare(rows: list[WriteBack], now: datetime) -> list[Prepared]:
    prepared = []
    for row in rows:
        connector = row.connector
        if not (connector.active and connector.writeback and connector.kind in TOOLS):
            prepared.append(Prepared(row, suppress=SWITCHED_OFF))
        elif shown_ticket(row.response) is None:
            prepared.append(Prepared(row, suppress=NOT_IDENTIFIED))
        else:
            prepared.append(Prepared(row, build=_builder(row)))
    return prepared


KIND = engine.register(
    engine.Kind(
        name="write-backs",
        model=WriteBack,
        related=("connector", "response__team", "response__invitation__ticket"),
        prepare=_prepare,
        message="write-back",
        post=note_send,
    )
)
