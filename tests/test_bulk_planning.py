"""The batch planner must decide exactly as delivery.rules.plan_invitation does."""

from datetime import time, timedelta

import pytest

from delivery.models import DeliveryRule, SuppressedAddress
from delivery.planning import plan_invitations
from delivery.rules import plan_invitation
from surveys.models import Invitation
from tests.conftest import NOW
from tests.factories import AgentFactory, InvitationFactory, RequesterFactory, TicketFactory

# Hand-written SQL on the way: also run on SQLite (scripts/test.sh).
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def same_plan(ticket):
    one = plan_invitation(
        ticket=ticket, requester=ticket.requester, team=ticket.team, agent=ticket.agent, now=NOW
    )
    [bulk] = plan_invitations([ticket], now=NOW)
    fields = ("status", "reason", "send_after", "link_valid_days", "remind_after_days")
    assert [getattr(bulk, f) for f in fields] == [getattr(one, f) for f in fields]
    return bulk


def ticket_for(team, **requester):
    return TicketFactory(team=team, requester=RequesterFactory(**requester), closed_at=NOW)


SCENARIOS = {
    "planned": lambda team: ticket_for(team),
    "opted out": lambda team: ticket_for(team, opted_out_at=NOW),
    "bounced": lambda team: (
        SuppressedAddress.objects.create(
            email="gone@example.org", reason="bounced", created_at=NOW
        ),
        ticket_for(team, email="gone@example.org"),
    )[1],
    "excluded": lambda team: (
        DeliveryRule.objects.create(team=team, excluded_addresses="@vip.example.org"),
        ticket_for(team, email="boss@vip.example.org"),
    )[1],
    "service account": lambda team: ticket_for(team, email="noreply@example.org"),
    "not sampled": lambda team: (
        DeliveryRule.objects.create(team=None, sample_percent=0),
        ticket_for(team),
    )[1],
    "requester is agent": lambda team: TicketFactory(
        team=team,
        requester=RequesterFactory(email="sanne@example.org"),
        agent=AgentFactory(team=team, email="sanne@example.org"),
        closed_at=NOW,
    ),
    "delay and office hours": lambda team: (
        DeliveryRule.objects.create(
            team=team,
            send_delay_minutes=90,
            office_hours_start=time(13),
            office_hours_end=time(17),
            reminder_after_days=3,
            link_valid_days=7,
        ),
        ticket_for(team, time_zone="America/New_York"),
    )[1],
}


@pytest.mark.parametrize("case", SCENARIOS)
def test_bulk_and_single_planning_agree(team, case):
    bulk = same_plan(SCENARIOS[case](team))
    assert (bulk.status == "planned") == (case in ("planned", "delay and office hours"))


@pytest.mark.parametrize("sent_days_ago", [3, 20])
def test_throttling_agrees(team, settings, sent_days_ago):
    settings.ITPULSE_THROTTLE_DAYS = 14
    earlier = InvitationFactory(
        ticket__team=team, status=Invitation.Status.SENT, sent_at=NOW - timedelta(sent_days_ago)
    )
    ticket = TicketFactory(team=team, requester=earlier.requester, closed_at=NOW)
    bulk = same_plan(ticket)
    assert bulk.reason == ("throttled" if sent_days_ago < 14 else "")


def test_a_second_ticket_of_one_requester_in_a_batch_is_throttled(team, settings):
    settings.ITPULSE_THROTTLE_DAYS = 14
    requester = RequesterFactory()
    tickets = [TicketFactory(team=team, requester=requester, closed_at=NOW) for _ in range(2)]
    first, second = plan_invitations(tickets, now=NOW)
    assert (first.status, second.status, second.reason) == ("planned", "suppressed", "throttled")
