"""Answers as they leave ITPulse, one by one (the API's /api/v1/responses and the outgoing
webhooks): what each carries, and the order in which a reader walks them.

What an answer carries follows the anonymity rule (surveys/anonymity.py): an answer that may
not be shown with who gave it carries no ticket, requester or agent, whatever is stored.

The order is the feed's *position*: when the answer was given or last changed. A reader pages
through with a cursor (the last position it saw) and must never skip an answer, also when
answers arrive while it reads. Two kinds of late arrival are ruled out:

- A named answer's position is its exact time, read when its transaction starts. One whose
  transaction is still running could commit with a position behind a cursor that already
  passed it, so a position is served only once it is SETTLE old.
- An unlinked answer keeps its day only (surveys/unlinked.py: its times sit at the day's
  midnight), so its stored time would put it behind every cursor that passed that midnight.
  Its position is therefore the end of its day (UNLINKED_AFTER past that midnight, at least the
  next midnight on a 23-, 24- or 25-hour day), served once the day is over: an anonymous answer
  leaves ITPULSE the day after it was given, among the others of its day, never at its time.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Case, DateTimeField, ExpressionWrapper, F, Q, When

from . import anonymity
from .models import Response, Team

# Longer than an answer's transaction takes to commit (a few milliseconds; far less than this
# even under bench/ingest.py's load).
SETTLE = timedelta(seconds=10)
# From an unlinked answer's midnight to past the end of its day, however long the day was.
UNLINKED_AFTER = timedelta(hours=25)
PAGE_SIZE = 100


@dataclass(frozen=True)
class Position:
    """Where a reader is in the feed: the position of the last answer it saw, and its id (many
    answers share a position: a day's anonymous ones, or a burst within one clock tick)."""

    at: datetime
    id: int


def _position() -> Case:
    return Case(
        When(
            invitation__isnull=True,
            then=ExpressionWrapper(F("updated_at") + UNLINKED_AFTER, output_field=DateTimeField()),
        ),
        default=F("updated_at"),
        output_field=DateTimeField(),
    )


def responses_feed(
    *,
    now: datetime,
    since: datetime | None = None,
    team: Team | None = None,
    after: Position | None = None,
    limit: int = PAGE_SIZE,
) -> list[Response]:
    """The next `limit` answers given or changed (at or after `since`), in feed order, after
    `after`; each carries its `position`. Only settled positions (see the module's notes)."""
    rows = Response.objects.annotate(position=_position()).filter(position__lte=now - SETTLE)
    if since is not None:
        rows = rows.filter(position__gte=since)
    if team is not None:
        rows = rows.filter(team=team)
    if after is not None:
        rows = rows.filter(Q(position__gt=after.at) | Q(position=after.at, id__gt=after.id))
    rows = rows.select_related(
        "team", "agent", "invitation__ticket", "invitation__requester"
    ).prefetch_related("reasons")
    return list(rows.order_by("position", "id")[:limit])


def position_of(response: Response) -> Position:
    return Position(response.position, response.id)  # type: ignore[attr-defined]


def response_data(response: Response) -> dict[str, Any]:
    """One answer as JSON. `anonymous` is true when nothing may tell who gave it: then ticket,
    requester and agent are null, and an unlinked answer's times are its day's midnight."""
    shown = anonymity.identified(response)
    ticket = anonymity.shown_ticket(response)
    requester = anonymity.shown_requester(response)
    agent = response.agent if shown else None
    return {
        "id": response.id,
        "team": response.team.slug,
        "score": response.score,
        "category": response.category,
        # The scale of score and category: nps 0–10, service (CSAT) 1–5, effort (CES) 1–7.
        "question_type": response.question_type,
        "comment": response.comment,
        "reasons": sorted(reason.slug for reason in response.reasons.all()),
        "created_at": response.created_at.isoformat(),
        "updated_at": response.updated_at.isoformat(),
        "anonymous": not shown,
        "ticket": None
        if ticket is None
        else {"source": ticket.source, "external_id": ticket.external_id},
        "requester": None
        if requester is None
        else {"email": requester.email, "name": requester.name},
        "agent": None if agent is None else {"email": agent.email, "name": agent.name},
    }
