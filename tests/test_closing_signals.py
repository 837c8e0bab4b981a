"""Closing tickets tells delivery through one signal per call, inside the close's transaction:
a batch stays a constant number of queries, and no ticket is ever stored without its survey."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from surveys import signals
from surveys.closing import tickets_close
from surveys.models import Invitation, Ticket
from surveys.tickets import TicketIn
from tests.conftest import NOW

pytestmark = pytest.mark.django_db


def items(team, count: int, start: int = 0) -> list[TicketIn]:
    return [
        TicketIn(
            source="jira",
            external_id=f"T-{n}",
            team=team,
            requester_email=f"person{n}@example.org",
            closed_at=NOW,
            agent_email=f"agent{start}-{n % 3}@example.org",
        )
        for n in range(start, start + count)
    ]


def test_a_batch_sends_one_signal_and_every_ticket_gets_its_invitation(team, frozen):
    heard = []

    def listener(sender, *, tickets, reopened, **kwargs):
        heard.append((len(tickets), reopened))

    signals.tickets_closed.connect(listener)
    try:
        results = tickets_close(items=items(team, 40), now=NOW)
    finally:
        signals.tickets_closed.disconnect(listener)
    assert heard == [(40, [])]
    assert all(result.ticket.invitation.status == "planned" for result in results)
    assert Invitation.objects.count() == 40


def test_a_batch_costs_the_same_queries_whatever_its_size(team, frozen):
    with CaptureQueriesContext(connection) as small:
        tickets_close(items=items(team, 5), now=NOW)
    with CaptureQueriesContext(connection) as large:
        tickets_close(items=items(team, 200, start=100), now=NOW)
    assert len(large) == len(small)
    assert Invitation.objects.count() == 205


def test_a_failing_receiver_leaves_no_ticket_behind(team, frozen):
    def broken(sender, **kwargs):
        raise RuntimeError("planning failed")

    signals.tickets_closed.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            tickets_close(items=items(team, 3), now=NOW)
    finally:
        signals.tickets_closed.disconnect(broken)
    assert not Ticket.objects.exists()
