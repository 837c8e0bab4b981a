"""Closing tickets, and the helpdesk's events after a ticket closed (reopen, merge, reassign).

`tickets_close` is the one implementation for a single ticket (`ticket_close`) and for a batch,
in set operations: a batch of 1,000 costs a handful of queries instead of ten per ticket. Its
rules: one ticket per source and external id, requester rows locked while the survey is planned,
one invitation per new ticket. The invitation is planned by delivery (its rules, its nudge after
commit) in a receiver of `signals.tickets_closed`, sent once per call inside this transaction:
a ticket is never stored without its invitation, and surveys imports nothing above it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from . import signals, sql
from .models import Agent, Invitation, Requester, Team, Ticket
from .tickets import TicketIn, default_language

REOPENED = "ticket reopened"
CANCELLED = {"merged": "ticket merged", "deleted": "ticket deleted"}


@dataclass(frozen=True)
class ClosedTicket:
    ticket: Ticket
    created: bool


def agent_upsert(*, team: Team, email: str, name: str = "") -> Agent:
    agent, created = Agent.objects.get_or_create(
        email=email.strip().lower(), defaults={"team": team, "name": name}
    )
    if not created and name and agent.name != name:
        agent.name = name
        agent.save(update_fields=["name"])
    return agent


def ticket_close(
    *,
    source: str,
    external_id: str,
    team: Team,
    requester_email: str,
    closed_at: datetime,
    subject: str = "",
    requester_name: str = "",
    requester_language: str = "",
    requester_time_zone: str = "",
    agent_email: str = "",
    agent_name: str = "",
    now: datetime | None = None,
) -> ClosedTicket:
    """Register a closed ticket and plan its survey, once per (source, external id).

    The ticket and its invitation (planned with a send time, or suppressed with a reason) are
    written in one transaction: that row is the outbox. After commit a dispatch is queued as a
    shortcut; if the broker is down the beat tick sends it later, and this still succeeds.
    A ticket closed again after a reopen gets back the survey the reopen cancelled, planned
    from the new close with the team's full send delay.
    """
    # One implementation for one ticket and for a batch, so their rules cannot drift apart.
    item = TicketIn(
        source=source,
        external_id=external_id,
        team=team,
        requester_email=requester_email.strip().lower(),
        closed_at=closed_at,
        subject=subject,
        requester_name=requester_name,
        requester_language=requester_language,
        requester_time_zone=requester_time_zone,
        agent_email=agent_email.strip().lower(),
        agent_name=agent_name,
    )
    [result] = tickets_close(items=[item], now=now)
    return result


def _requesters(items: list[TicketIn]) -> dict[str, Requester]:
    """The requesters of these items, locked, created where new (updates: _people_update).

    The locking read is surveys.sql's: ORM 750 µs, this 221 µs per close; 11.4 ms against 8.4 ms
    for 1,000 (PostgreSQL, bench/sql_vs_orm.py on 2026-12-04).
    """
    latest = {item.requester_email: item for item in items}
    # Locked (in id order, so two batches cannot deadlock) as plan_invitation requires: two
    # tickets of one requester closing at once must not both pass the throttle.
    where, params = sql.is_in("email", latest)
    locked = sql.select(Requester, where, params, suffix="ORDER BY id" + sql.for_update())
    found = {r.email: r for r in locked}
    new = [
        Requester(
            email=email,
            name=item.requester_name,
            language=item.requester_language or default_language(),
            time_zone=item.requester_time_zone,
            department=item.requester_department,
        )
        for email, item in latest.items()
        if email not in found
    ]
    if new:
        # A no-op update on conflict makes PostgreSQL return the id of a requester that a
        # concurrent request created in the meantime, instead of failing the whole batch.
        Requester.objects.bulk_create(
            new, update_conflicts=True, unique_fields=["email"], update_fields=["email"]
        )
        found.update((r.email, r) for r in new)
    return found


def _agents(items: list[TicketIn]) -> dict[str, Agent]:
    """The agents of these items, created where new (updates: _people_update).

    Read through surveys.sql: ORM 776 µs, this 104 µs per close; 1.6 ms against 0.7 ms for 60
    (PostgreSQL, bench/sql_vs_orm.py on 2026-12-04).
    """
    latest = {item.agent_email: item for item in items if item.agent_email}
    if not latest:
        return {}
    found = {a.email: a for a in sql.select(Agent, *sql.is_in("email", latest))}
    new = [
        Agent(email=email, name=item.agent_name, team=item.team)
        for email, item in latest.items()
        if email not in found
    ]
    if new:
        Agent.objects.bulk_create(
            new, update_conflicts=True, unique_fields=["email"], update_fields=["email"]
        )
        found.update((a.email, a) for a in new)
    return found


def _people_update(items: list[TicketIn], requesters: dict, agents: dict) -> None:
    """What the helpdesk now says about requesters and agents (the last item has the last
    word), taken only from the tickets registered now: a repeated close changes nothing."""
    changed = {}
    for item in items:
        requester = requesters[item.requester_email]
        for field in ("name", "language", "time_zone", "department"):
            if field == "language" and requester.language_chosen_at is not None:
                continue  # the person chose theirs on the survey page
            value = getattr(item, f"requester_{field}")
            if value and getattr(requester, field) != value:
                setattr(requester, field, value)
                changed[requester.pk] = requester
    if changed:
        Requester.objects.bulk_update(
            changed.values(), ["name", "language", "time_zone", "department"]
        )
    renamed = {}
    for item in items:
        agent = agents.get(item.agent_email)
        if agent is not None and item.agent_name and agent.name != item.agent_name:
            agent.name = item.agent_name
            renamed[agent.pk] = agent
    if renamed:
        Agent.objects.bulk_update(renamed.values(), ["name"])


def _existing(keys: list[tuple[str, str]]) -> dict[tuple[str, str], Ticket]:
    if not keys:
        return {}
    sources = {source for source, _id in keys}
    ids = {external_id for _source, external_id in keys}
    tickets = Ticket.objects.filter(source__in=sources, external_id__in=ids).select_related(
        "team", "invitation"
    )
    return {(t.source, t.external_id): t for t in tickets}


def _new_close(ticket: Ticket, item: TicketIn, now: datetime) -> datetime:
    """When a reopened ticket closed again: the time the helpdesk gives, when it is after the
    close we know. One at or before it (a tool that sends the first resolution date again, or
    none) cannot be this close, which came after the reopen: then it closed now."""
    return item.closed_at if item.closed_at > ticket.closed_at else now


def _reclosed(
    tickets: list[Ticket], items: dict[tuple[str, str], TicketIn], now: datetime
) -> list[Invitation]:
    """The surveys a reopen cancelled, of tickets closed again now: locked, their tickets' close
    moved to the new one. Delivery plans them again from it, with the team's full send delay
    (a receiver of signals.tickets_closed), as for a new ticket."""
    waiting = {
        t.invitation.id: t
        for t in tickets
        if hasattr(t, "invitation")
        and t.invitation.status == Invitation.Status.SUPPRESSED
        and t.invitation.reason == REOPENED
    }
    if not waiting:
        return []
    # Locked and read again: of two simultaneous closes of one reopened ticket, the second finds
    # it planned already and plans nothing.
    still = Invitation.objects.select_for_update().filter(
        id__in=waiting, status=Invitation.Status.SUPPRESSED, reason=REOPENED
    )
    reclosed = []
    for invitation_id in sorted(still.values_list("id", flat=True)):
        ticket = waiting[invitation_id]
        ticket.closed_at = _new_close(ticket, items[(ticket.source, ticket.external_id)], now)
        Ticket.objects.filter(pk=ticket.pk).update(closed_at=ticket.closed_at)
        reclosed.append(ticket.invitation)
    return reclosed


class _AllKnown(Exception):
    """Every ticket of the call was stored already."""


def _close_known(items: list[TicketIn], now: datetime) -> list[ClosedTicket]:
    """Every ticket is stored already: answer from what is stored, writing nothing new (a
    ticket closed again after a reopen still gets its survey back)."""
    keys = list(dict.fromkeys(item.key for item in items))
    existing = _existing(keys)
    if not all(key in existing for key in keys):
        return _close(items, now)  # one was deleted in the meantime: register it afresh
    first = {item.key: item for item in reversed(items)}  # the first item of each ticket
    reopened = _reclosed(list(existing.values()), first, now)
    signals.tickets_closed.send(Ticket, tickets=[], reopened=reopened, now=now)
    return [ClosedTicket(existing[item.key], created=False) for item in items]


def _close(
    items: list[TicketIn], now: datetime, *, undo_if_all_known: bool = False
) -> list[ClosedTicket]:
    first: dict[tuple[str, str], TicketIn] = {}
    for item in items:
        first.setdefault(item.key, item)
    requesters = _requesters(list(first.values()))
    agents = _agents(list(first.values()))
    # Insert first and skip what is stored already: the common case (a new ticket) then costs
    # no lookup, and a concurrent request storing the same ticket makes no error. The ORM cannot
    # skip conflicts and still return the keys (see sql.insert for the figures).
    tickets = [
        Ticket(
            source=item.source,
            external_id=item.external_id,
            subject=item.subject,
            team=item.team,
            agent=agents.get(item.agent_email),
            requester=requesters[item.requester_email],
            closed_at=item.closed_at,
            category=item.category,
            priority=item.priority,
            channel=item.channel,
        )
        for item in first.values()
    ]
    created = {
        (t.source, t.external_id): t
        for t in sql.insert(tickets, skip_conflicts_on=("source", "external_id"))
    }
    if not created and undo_if_all_known:
        raise _AllKnown  # undoes the requesters and agents created above for nothing
    _people_update([first[key] for key in created], requesters, agents)
    existing = _existing([key for key in first if key not in created])
    reopened = _reclosed(list(existing.values()), first, now)
    # One signal for the whole batch: delivery plans every new ticket's survey in set operations.
    signals.tickets_closed.send(Ticket, tickets=list(created.values()), reopened=reopened, now=now)
    results, seen = [], set()
    for item in items:
        if item.key in created and item.key not in seen:
            seen.add(item.key)
            results.append(ClosedTicket(created[item.key], created=True))
        else:
            results.append(ClosedTicket(existing.get(item.key) or created[item.key], False))
    return results


def tickets_close(
    *, items: list[TicketIn], now: datetime | None = None, savepoint: bool = True
) -> list[ClosedTicket]:
    """Register closed tickets and plan their surveys; one result per item, in order.

    All or nothing: the batch is one transaction. An item whose (source, external id) is known
    already, or repeats an earlier item, answers created=False and plans no second survey.
    savepoint=False: the caller's open transaction is the unit (a webhook logs its delivery in
    it) and a conflict is the caller's to handle; this saves two round trips per call.
    """
    now = now or timezone.now()
    if not savepoint:
        assert transaction.get_connection().in_atomic_block, "savepoint=False needs a transaction"
        return _close(items, now)
    try:
        with transaction.atomic():
            return _close(items, now, undo_if_all_known=True)
    except _AllKnown:
        # A retry of what is stored; the requesters and agents it created are undone.
        with transaction.atomic():
            return _close_known(items, now)
    except IntegrityError:
        # Another request registered one of these tickets between our read and our write;
        # read again (it is "existing" now) and write the rest.
        with transaction.atomic():
            return _close(items, now)


# --- Events after closing: each is a conditional UPDATE, so a repeated event changes nothing.


def _planned(source: str, external_id: str):
    return Invitation.objects.filter(
        ticket__source=source, ticket__external_id=external_id, status=Invitation.Status.PLANNED
    )


def ticket_reopen(*, source: str, external_id: str) -> bool:
    """Cancel the survey if it has not gone out; a sent survey stays. Returns whether it did."""
    return bool(
        _planned(source, external_id).update(status=Invitation.Status.SUPPRESSED, reason=REOPENED)
    )


def ticket_cancel(*, source: str, external_id: str, why: str) -> bool:
    """A merged or deleted ticket: cancel its planned survey. `why` is "merged" or "deleted"."""
    return bool(
        _planned(source, external_id).update(
            status=Invitation.Status.SUPPRESSED, reason=CANCELLED[why]
        )
    )


def _not_sent(source: str, external_id: str):
    """The survey still to go out: planned, or cancelled by a reopen (a close plans it again)."""
    return Invitation.objects.filter(
        Q(status=Invitation.Status.PLANNED)
        | Q(status=Invitation.Status.SUPPRESSED, reason=REOPENED),
        ticket__source=source,
        ticket__external_id=external_id,
    )


def ticket_reassign(
    *, source: str, external_id: str, team: Team, agent_email: str = "", agent_name: str = ""
) -> bool:
    """Before the survey goes out, move its snapshot (and the ticket) to the new team/agent;
    also while the ticket is reopened (reopen, hand to second line, close: the survey planned
    again at the close is the new team's).

    Afterwards the score belongs to whoever gave the service the requester judged: no change.
    """
    with transaction.atomic():
        invitation = (
            _not_sent(source, external_id).select_for_update().select_related("ticket").first()
        )
        if invitation is None:
            return False
        agent = agent_upsert(team=team, email=agent_email, name=agent_name) if agent_email else None
        if invitation.team_id == team.id and invitation.agent_id == (agent and agent.id):
            return False
        invitation.team, invitation.agent = team, agent
        invitation.save(update_fields=["team", "agent"])
        ticket = invitation.ticket
        ticket.team, ticket.agent = team, agent
        ticket.save(update_fields=["team", "agent"])
    return True
