"""Timing rules: delay, office hours, sampling, throttling, exclusions; every skip has a reason."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from delivery.models import DeliveryRule, SuppressedAddress
from delivery.tasks import dispatch
from surveys.models import Invitation, Requester
from surveys.services import ticket_close
from tests.factories import TeamFactory

from .conftest import NOW

pytestmark = pytest.mark.django_db


def close(team, external_id="SD-1", **overrides):
    fields = {
        "source": "jira",
        "external_id": external_id,
        "team": team,
        "requester_email": "ann@example.org",
        "agent_email": "sanne@example.org",
        "closed_at": timezone.now(),
    }
    ticket = ticket_close(**(fields | overrides)).ticket
    dispatch()  # what the worker does when nudged after commit, or at the next beat tick
    return Invitation.objects.get(ticket=ticket)


def test_without_rules_a_survey_is_due_at_once(team, frozen):
    inv = close(team)
    assert inv.status == Invitation.Status.SENT and inv.sent_at == NOW
    assert inv.expires_at == NOW + timedelta(days=14)


def test_send_delay_counts_from_the_close(team, frozen):
    DeliveryRule.objects.create(team=team, send_delay_minutes=90)
    inv = close(team, closed_at=NOW - timedelta(minutes=30))
    assert inv.status == Invitation.Status.PLANNED
    assert inv.send_after == NOW + timedelta(minutes=60)
    assert mail.outbox == []


def test_a_team_rule_wins_over_the_organisation_default(team, frozen):
    DeliveryRule.objects.create(team=None, send_delay_minutes=60)
    other = TeamFactory(slug="network")
    DeliveryRule.objects.create(team=other, send_delay_minutes=0)
    assert close(team).send_after == NOW + timedelta(hours=1)
    assert close(other, external_id="SD-2").status == Invitation.Status.SENT


def test_a_survey_due_at_night_waits_for_the_requesters_next_morning(team, frozen):
    DeliveryRule.objects.create(
        team=None, office_hours_start=time(8), office_hours_end=time(18), office_days="12345"
    )
    # Wednesday 2026-11-25 22:30 in New York is Thursday 03:30 UTC.
    closed = datetime(2026, 11, 26, 3, 30, tzinfo=UTC)
    frozen.move_to(closed)
    inv = close(team, closed_at=closed, now=closed, requester_time_zone="America/New_York")
    assert inv.status == Invitation.Status.PLANNED
    assert inv.send_after == datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # 08:00 New York


def test_office_hours_skip_the_weekend_in_the_organisation_zone(team, frozen):
    DeliveryRule.objects.create(
        team=None, office_hours_start=time(9), office_hours_end=time(17), office_days="12345"
    )
    friday_evening = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)  # 18:30 in Amsterdam
    frozen.move_to(friday_evening)
    inv = close(team, closed_at=friday_evening, now=friday_evening)
    assert inv.send_after == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 09:00


def test_inside_office_hours_it_goes_at_once(team, frozen):
    DeliveryRule.objects.create(team=None, office_hours_start=time(8), office_hours_end=time(18))
    inv = close(team, closed_at=NOW, now=NOW)  # Wednesday 11:00 in Amsterdam
    assert inv.send_after == NOW


def close_many(team, count: int, **overrides) -> list[str]:
    """Close `count` tickets, then dispatch once, as a beat tick after a busy hour would: the
    draw is made when each ticket closes, the sending in batches. (A dispatch per ticket, as
    `close` does, cost this test 600 dispatches of every kind: a third of its time.)"""
    fields = {
        "source": "jira",
        "team": team,
        "requester_email": "ann@example.org",
        "agent_email": "sanne@example.org",
        "closed_at": timezone.now(),
    }
    source = (fields | overrides)["source"]
    for n in range(count):
        ticket_close(**(fields | overrides), external_id=f"SD-{n}")
    dispatch()  # its batches (ITPULSE_DISPATCH_BATCH) nudge the next one while more are due
    invitations = Invitation.objects.filter(ticket__team=team, ticket__source=source)
    return list(invitations.order_by("ticket_id").values_list("status", flat=True))


def test_sampling_is_fair_and_reproducible(team, frozen):
    DeliveryRule.objects.create(team=team, sample_percent=30)
    statuses = close_many(team, 300)
    assert set(statuses) == {Invitation.Status.SENT, Invitation.Status.SUPPRESSED}
    sampled = statuses.count(Invitation.Status.SENT)
    assert 60 <= sampled <= 120  # 30% of 300, give or take
    again = TeamFactory(slug="again")
    DeliveryRule.objects.create(team=again, sample_percent=30)
    same = close_many(again, 300, source="jira2")
    # The draw depends on the ticket's identity only, so the same ids draw the same answers.
    from delivery.rules import is_sampled
    from surveys.models import Ticket

    tickets = Ticket.objects.filter(source="jira").order_by("id")
    assert [is_sampled(t, 30) for t in tickets] == [s == "sent" for s in statuses]
    assert len(same) == 300
    skipped = Invitation.objects.filter(status="suppressed").first()
    assert skipped.reason == "not sampled"


def test_throttling_allows_one_survey_per_requester_per_period(team, frozen, settings):
    settings.ITPULSE_THROTTLE_DAYS = 14
    other = TeamFactory(slug="network")
    assert close(team).status == Invitation.Status.SENT
    throttled = close(other, external_id="SD-2")  # across teams
    assert (throttled.status, throttled.reason) == ("suppressed", "throttled")
    assert close(team, external_id="SD-3", requester_email="bea@example.org").status == "sent"
    frozen.shift(timedelta(days=15))
    assert close(team, external_id="SD-4").status == Invitation.Status.SENT
    assert len(mail.outbox) == 3


@pytest.mark.parametrize(
    ("later", "throttled"),
    [
        (timedelta(hours=1), True),
        (timedelta(days=1, hours=1), True),  # a window counted in hours would be over by now
        (timedelta(days=13, hours=23), True),
        (timedelta(days=14, minutes=1), False),
    ],
    ids=["1h", "25h", "13d23h", "14d1m"],
)
def test_the_throttle_window_holds_for_its_whole_length(team, frozen, settings, later, throttled):
    """Inside the 14 days a second survey is suppressed at any point, not only at the start."""
    settings.ITPULSE_THROTTLE_DAYS = 14
    assert close(team).status == Invitation.Status.SENT
    frozen.shift(later)
    second = close(team, external_id="SD-2")
    assert (second.reason == "throttled") is throttled
    assert second.status == ("suppressed" if throttled else "sent")


def test_a_planned_survey_counts_for_throttling(team, frozen):
    DeliveryRule.objects.create(team=None, throttle_days=14, send_delay_minutes=60)
    assert close(team).status == Invitation.Status.PLANNED
    assert close(team, external_id="SD-2").reason == "throttled"


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("ann@example.org", "excluded address"),
        ("bea@partner.example", "excluded domain"),
        ("noreply@example.org", "service account"),
        ("svc-backup@example.org", "service account"),
        ("sanne@example.org", "requester is the agent"),
    ],
)
def test_exclusions_are_suppressed_with_their_reason(team, email, reason):
    DeliveryRule.objects.create(team=team, excluded_addresses="ann@example.org\n@partner.example")
    inv = close(team, requester_email=email)
    assert (inv.status, inv.reason) == ("suppressed", reason)
    assert mail.outbox == []


def test_a_bounced_address_is_not_surveyed(team):
    SuppressedAddress.objects.create(email="ann@example.org", reason="bounced", created_at=NOW)
    inv = close(team)
    assert (inv.status, inv.reason) == ("suppressed", "bounced")


def test_link_expiry_follows_the_rule(team, frozen):
    DeliveryRule.objects.create(team=team, link_valid_days=3)
    assert close(team).expires_at == NOW + timedelta(days=3)


def test_an_opted_out_requester_is_never_surveyed_until_opting_in(team, frozen):
    from surveys.services import requester_opt_in

    requester = Requester.objects.create(email="ann@example.org", opted_out_at=NOW)
    assert close(team).reason == "opted out"
    requester_opt_in(requester=requester)
    assert close(team, external_id="SD-2").status == Invitation.Status.SENT


def test_office_hours_need_both_ends():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        DeliveryRule(office_hours_start=time(9)).full_clean()


def test_tickets_closed_in_bulk_follow_the_same_rules(team, frozen, settings):
    from surveys.closing import tickets_close
    from surveys.tickets import TicketIn

    settings.ITPULSE_THROTTLE_DAYS = 14
    DeliveryRule.objects.create(team=team, send_delay_minutes=30)
    SuppressedAddress.objects.create(email="bob@example.org", reason="complained", created_at=NOW)

    def item(n, email):
        return TicketIn(
            source="jira",
            external_id=f"B-{n}",
            team=team,
            requester_email=email,
            closed_at=NOW,
        )

    results = tickets_close(
        items=[item(1, "ann@example.org"), item(2, "ann@example.org"), item(3, "bob@example.org")]
    )
    invs = [Invitation.objects.get(ticket=r.ticket) for r in results]
    assert [(i.status, i.reason) for i in invs] == [
        ("planned", ""),
        ("suppressed", "throttled"),
        ("suppressed", "complained"),
    ]
    assert invs[0].send_after == NOW + timedelta(minutes=30)
