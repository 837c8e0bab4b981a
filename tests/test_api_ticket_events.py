"""POST /api/v1/tickets/<source>/<external_id>/events (issue 16, point 3): reopened, reassigned,
merged and deleted through the plain REST API, by the same services and rules as a connector's
events, each idempotent."""

import json
from datetime import timedelta

import pytest

from delivery.models import DeliveryRule
from surveys.api_tokens import api_token_create
from surveys.models import ApiToken, Invitation, Ticket
from tests.conftest import NOW
from tests.factories import TeamFactory
from tests.hooks import connector_for, payload, post_hook

pytestmark = pytest.mark.django_db
URL = "/api/v1/tickets/jira/SD-1/events"


def stamp(moment):
    return moment.isoformat().replace("+00:00", "Z")


def close(client, headers, closed_at=NOW):
    data = {
        "source": "jira",
        "external_id": "SD-1",
        "team": "workplace",
        "agent": {"email": "sanne@example.org", "name": "Sanne"},
        "requester": {"email": "ann@example.org"},
        "closed_at": stamp(closed_at),
    }
    response = client.post(
        "/api/v1/tickets/closed", json.dumps(data), content_type="application/json", **headers
    )
    assert response.status_code in (200, 201), response.json()
    return response


def event(client, headers, url=URL, raw=None, **data):
    body = raw if raw is not None else json.dumps(data)
    return client.post(url, body, content_type="application/json", **headers)


def invitation():
    return Invitation.objects.select_related("team", "agent").get()


@pytest.fixture
def closed(client, team, api_headers, frozen):
    close(client, api_headers)


def test_reopened_cancels_the_survey_and_a_repeat_changes_nothing(client, api_headers, closed):
    first = event(client, api_headers, event="reopened")
    assert first.status_code == 200
    body = first.json()
    assert (body["event"], body["result"], body["reason"]) == ("reopened", "changed", "")
    assert body["invitation"] == {"status": "suppressed", "reason": "ticket reopened"}
    assert body["ticket"]["external_id"] == "SD-1"
    again = event(client, api_headers, event="reopened")
    assert again.json()["result"] == "unchanged"
    assert "nothing changed" in again.json()["reason"]


def test_reopened_after_sending_keeps_the_survey(client, api_headers, closed):
    Invitation.objects.update(status=Invitation.Status.SENT)
    assert event(client, api_headers, event="reopened").json()["result"] == "unchanged"
    assert invitation().status == "sent"


def test_reopened_then_closed_again_waits_the_teams_delay(client, team, api_headers, frozen):
    DeliveryRule.objects.create(team=team, send_delay_minutes=30)
    close(client, api_headers)
    frozen.shift(timedelta(minutes=5))
    event(client, api_headers, event="reopened", at=stamp(NOW + timedelta(minutes=5)))
    frozen.shift(timedelta(hours=1))
    again = close(client, api_headers, NOW + timedelta(hours=1, minutes=5))
    assert again.json()["invitation"]["status"] == "planned"
    assert invitation().send_after == NOW + timedelta(hours=1, minutes=35)


def test_reassigned_moves_the_snapshot_to_the_team_and_agent(client, team, api_headers, closed):
    network = TeamFactory(slug="network", name="Network")
    moved = event(
        client,
        api_headers,
        event="reassigned",
        team="network",
        agent={"email": "Piet@Example.org", "name": "Piet"},
    )
    assert moved.json()["result"] == "changed"
    assert moved.json()["ticket"]["team"] == "network"
    assert (invitation().team, invitation().agent.email) == (network, "piet@example.org")
    assert Ticket.objects.get().team == network
    same = event(
        client, api_headers, event="reassigned", team="network", agent={"email": "piet@example.org"}
    )
    assert same.json()["result"] == "unchanged"


def test_reassigned_to_an_agent_alone_keeps_the_team(client, team, api_headers, closed):
    moved = event(client, api_headers, event="reassigned", agent={"email": "piet@example.org"})
    assert moved.json()["result"] == "changed"
    assert (invitation().team, invitation().agent.email) == (team, "piet@example.org")


def test_reassigned_after_sending_keeps_the_snapshot(client, team, api_headers, closed):
    TeamFactory(slug="network", name="Network")
    Invitation.objects.update(status=Invitation.Status.SENT)
    assert event(client, api_headers, event="reassigned", team="network").json()["result"] == (
        "unchanged"
    )
    assert invitation().team == team


@pytest.mark.parametrize("name", ["merged", "deleted"])
def test_merged_or_deleted_cancels_the_planned_survey(client, api_headers, closed, name):
    assert event(client, api_headers, event=name).json()["result"] == "changed"
    assert (invitation().status, invitation().reason) == ("suppressed", f"ticket {name}")
    assert event(client, api_headers, event=name).json()["result"] == "unchanged"
    assert Ticket.objects.count() == 1  # the ticket is still counted


def test_an_event_from_before_the_last_close_changes_nothing(client, api_headers, closed):
    late = event(client, api_headers, event="reopened", at=stamp(NOW - timedelta(minutes=1)))
    assert late.json()["result"] == "unchanged"
    assert "before the ticket's last close" in late.json()["reason"]
    assert invitation().status == "planned"
    on_time = event(client, api_headers, event="reopened", at=int(NOW.timestamp()) * 1000)
    assert on_time.json()["result"] == "changed"


def test_an_event_acts_on_a_ticket_a_connector_registered(client, team, api_headers, frozen):
    zendesk = connector_for("zendesk", team)
    post_hook(client, zendesk, payload("zendesk"))
    response = event(client, api_headers, "/api/v1/tickets/zendesk/4711/events", event="deleted")
    assert response.json()["result"] == "changed"
    assert invitation().reason == "ticket deleted"


def test_an_unknown_ticket_is_404_naming_it(client, team, api_headers, frozen):
    response = event(client, api_headers, event="reopened")
    assert response.status_code == 404
    assert "SD-1" in response.json()["errors"]["ticket"][0]
    nul = event(client, api_headers, "/api/v1/tickets/jira/SD%001/events", event="reopened")
    assert nul.status_code == 400  # refused before any view (itpulse/badinput.py)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "event"),
        ({"event": "closed"}, "event"),
        ({"event": ["reopened"]}, "event"),
        ({"event": "reassigned"}, "team"),
        ({"event": "reassigned", "team": "nope"}, "team"),
        ({"event": "reassigned", "team": 7}, "team"),
        ({"event": "reassigned", "agent": "piet@example.org"}, "agent"),
        ({"event": "reassigned", "agent": {"email": "not-an-email"}}, "agent.email"),
        ({"event": "reassigned", "agent": {"name": "Piet"}}, "agent.email"),
        ({"event": "reopened", "at": "yesterday"}, "at"),
        ({"event": "reopened", "at": stamp(NOW + timedelta(hours=1))}, "at"),
    ],
)
def test_bad_input_is_400_naming_the_field(client, api_headers, closed, body, field):
    response = event(client, api_headers, **body)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert invitation().status == "planned"


def test_a_body_that_is_no_json_object_is_400(client, api_headers, closed):
    assert event(client, api_headers, raw="nope").status_code == 400
    assert event(client, api_headers, raw="[]").status_code == 400


def test_the_token_needs_the_tickets_scope(client, api_headers, closed):
    _token, reader = api_token_create(name="reader", scopes=[ApiToken.Scope.RESULTS_READ])
    refused = event(client, {"HTTP_AUTHORIZATION": f"Bearer {reader}"}, event="deleted")
    assert refused.status_code == 403
    assert event(client, {}, event="deleted").status_code == 401
    assert client.get(URL, **api_headers).status_code == 405
    assert invitation().status == "planned"
