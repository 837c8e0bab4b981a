"""A ticket reopened and closed again is surveyed by the rules of a new close (issue 16, point 3):
the team's full send delay from the new close, for the API and the connectors alike. It was
planned at once, whatever the team's delay."""

import json
from datetime import timedelta

import pytest

from delivery.models import DeliveryRule
from surveys.closing import ticket_reopen
from surveys.models import Invitation, Ticket
from tests.conftest import NOW
from tests.factories import TeamFactory
from tests.hooks import connector_for, payload, post_hook

# Through surveys.sql's hand-written reads and inserts: also run on SQLite.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
DELAY = timedelta(minutes=60)


@pytest.fixture(autouse=True)
def delay(team):
    DeliveryRule.objects.create(team=team, send_delay_minutes=60)


def stamp(moment):
    return moment.isoformat().replace("+00:00", "Z")


def close(client, headers, closed_at):
    data = {
        "source": "jira",
        "external_id": "SD-1",
        "team": "workplace",
        "requester": {"email": "ann@example.org"},
        "closed_at": stamp(closed_at),
    }
    return client.post(
        "/api/v1/tickets/closed", json.dumps(data), content_type="application/json", **headers
    )


def invitation():
    return Invitation.objects.select_related("ticket").get()


def test_a_reclose_waits_the_full_delay_from_the_new_close(client, api_headers, frozen):
    close(client, api_headers, NOW)
    assert invitation().send_after == NOW + DELAY
    frozen.shift(timedelta(minutes=10))
    assert ticket_reopen(source="jira", external_id="SD-1")
    frozen.shift(timedelta(minutes=80))  # past the first close's send time
    reclosed_at = NOW + timedelta(minutes=85)
    response = close(client, api_headers, reclosed_at)
    assert response.status_code == 200
    assert response.json()["invitation"]["status"] == "planned"
    assert response.json()["ticket"]["closed_at"] == stamp(reclosed_at)
    assert invitation().send_after == reclosed_at + DELAY
    assert invitation().ticket.closed_at == reclosed_at


def test_a_reclose_that_repeats_the_first_close_time_counts_from_now(client, api_headers, frozen):
    # Some tools send the first resolution date again (or none): this close came after the
    # reopen, so it cannot have happened then.
    close(client, api_headers, NOW)
    ticket_reopen(source="jira", external_id="SD-1")
    frozen.shift(timedelta(hours=3))
    close(client, api_headers, NOW)
    assert invitation().send_after == NOW + timedelta(hours=3) + DELAY
    assert invitation().ticket.closed_at == NOW + timedelta(hours=3)


def test_closing_again_once_replanned_changes_nothing(client, api_headers, frozen):
    close(client, api_headers, NOW)
    ticket_reopen(source="jira", external_id="SD-1")
    frozen.shift(timedelta(minutes=30))
    close(client, api_headers, NOW + timedelta(minutes=30))
    planned = invitation().send_after
    frozen.shift(timedelta(minutes=10))
    again = close(client, api_headers, NOW + timedelta(minutes=40))
    assert again.json()["invitation"]["status"] == "planned"
    assert invitation().send_after == planned
    assert Ticket.objects.get().closed_at == NOW + timedelta(minutes=30)


def test_a_batch_recloses_with_the_delay_too(client, api_headers, frozen):
    close(client, api_headers, NOW)
    ticket_reopen(source="jira", external_id="SD-1")
    frozen.shift(timedelta(hours=2))
    item = {
        "source": "jira",
        "external_id": "SD-1",
        "team": "workplace",
        "requester": {"email": "ann@example.org"},
        "closed_at": stamp(NOW + timedelta(hours=2)),
    }
    client.post(
        "/api/v1/tickets/closed/batch",
        json.dumps({"tickets": [item]}),
        content_type="application/json",
        **api_headers,
    )
    assert invitation().send_after == NOW + timedelta(hours=2) + DELAY


def test_a_connector_recloses_with_the_delay(client, team, frozen):
    zendesk = connector_for("zendesk", team)

    def call(status, updated_at):
        data = payload("zendesk")
        data["ticket"].update(status=status, updated_at=stamp(updated_at))
        return post_hook(client, zendesk, data, unix=int(updated_at.timestamp()))

    call("Solved", NOW)
    frozen.shift(timedelta(minutes=5))
    assert call("Open", NOW + timedelta(minutes=5)).json()["result"] == "changed"
    frozen.shift(timedelta(hours=2))
    again = call("Solved", NOW + timedelta(hours=2, minutes=5))
    assert again.status_code == 200
    assert again.json()["invitation"]["status"] == "planned"
    assert invitation().send_after == NOW + timedelta(hours=2, minutes=5) + DELAY


def test_a_reclose_follows_every_rule_of_a_new_close(client, api_headers, frozen):
    # The requester opted out while the ticket was open: the replanned survey is suppressed.
    close(client, api_headers, NOW)
    ticket_reopen(source="jira", external_id="SD-1")
    Invitation.objects.get().requester.__class__.objects.update(opted_out_at=NOW)
    close(client, api_headers, NOW + timedelta(minutes=1))
    assert (invitation().status, invitation().reason) == ("suppressed", "opted out")


def test_a_ticket_reassigned_while_reopened_is_surveyed_for_the_new_team(
    client, api_headers, frozen
):
    # Reopen, hand to second line, close: the survey is the new team's, with its delay.
    network = TeamFactory(slug="network", name="Network")
    DeliveryRule.objects.create(team=network, send_delay_minutes=120)
    close(client, api_headers, NOW)
    events = "/api/v1/tickets/jira/SD-1/events"
    for body in ({"event": "reopened"}, {"event": "reassigned", "team": "network"}):
        response = client.post(events, json.dumps(body), "application/json", **api_headers)
        assert response.json()["result"] == "changed"
    assert (invitation().status, invitation().team) == ("suppressed", network)
    frozen.shift(timedelta(hours=1))
    close(client, api_headers, NOW + timedelta(hours=1))
    assert (invitation().status, invitation().team) == ("planned", network)
    assert invitation().send_after == NOW + timedelta(hours=3)


def test_a_connector_reassignment_while_reopened_moves_the_survey(client, team, frozen):
    network = TeamFactory(slug="network", name="Network")
    zendesk = connector_for("zendesk", team)
    zendesk.team_map["Network team"] = "network"
    zendesk.save()
    data = payload("zendesk")
    post_hook(client, zendesk, data)
    data["ticket"]["status"] = "Open"
    post_hook(client, zendesk, data)
    data["ticket"].update(status="Open", group="Network team")
    data["event"] = "reassigned"
    assert post_hook(client, zendesk, data).json()["result"] == "changed"
    assert invitation().team == network
