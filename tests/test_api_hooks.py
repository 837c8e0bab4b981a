import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.models import Delivery
from integrations.presets import PRESETS
from surveys.models import Invitation, Ticket
from tests.conftest import NOW
from tests.factories import TeamFactory
from tests.hooks import EXTERNAL_IDS, connector_for, payload, post_hook, signed_headers

pytestmark = pytest.mark.django_db
KINDS = sorted(PRESETS)
# What each tool's documented closing call says (integrations/samples/): GLPI 11 sends no solve
# date (the close is dated when it arrives), people as "realname firstname" and no technician's
# e-mail; Zendesk's placeholder gives the time to the minute.
CLOSED_AT = {"glpi": NOW.isoformat(), "zendesk": "2026-11-25T09:58:00+00:00"}
REQUESTER_NAME = {"glpi": "de Vries Ann"}
AGENT_EMAIL = {"glpi": None}


@pytest.mark.parametrize("kind", KINDS)
def test_each_tool_native_payload_becomes_a_ticket_with_a_survey(client, team, frozen, kind):
    connector = connector_for(kind, team)
    response = post_hook(client, connector, payload(kind))
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.select_related("requester", "agent", "invitation").get()
    assert (ticket.source, ticket.external_id) == (connector.source, EXTERNAL_IDS[kind])
    assert ticket.team == team and ticket.subject
    assert ticket.requester.email == "ann@example.org"
    assert ticket.requester.name == REQUESTER_NAME.get(kind, "Ann de Vries")
    agent = ticket.agent.email if ticket.agent else None
    assert agent == AGENT_EMAIL.get(kind, "sanne@example.org")
    assert ticket.closed_at.isoformat() == CLOSED_AT.get(kind, "2026-11-25T09:58:12+00:00")
    assert ticket.invitation.status == Invitation.Status.PLANNED
    delivery = Delivery.objects.get()
    assert (delivery.outcome, delivery.status_code, delivery.ticket) == ("accepted", 201, ticket)


def test_the_requester_language_comes_from_the_tool(client, team, frozen):
    post_hook(client, connector_for("jira", team), payload("jira"))  # locale nl_NL
    assert Ticket.objects.get().requester.language == "nl"


@pytest.mark.parametrize("kind", KINDS)
def test_a_retry_of_the_same_call_is_counted_once(client, team, frozen, kind):
    connector = connector_for(kind, team)
    assert post_hook(client, connector, payload(kind)).status_code == 201
    again = post_hook(client, connector, payload(kind))
    assert again.status_code == 200
    assert again.json()["result"] == "duplicate"
    assert Ticket.objects.count() == Invitation.objects.count() == 1
    assert list(Delivery.objects.order_by("id").values_list("outcome", flat=True)) == [
        "accepted",
        "duplicate",
    ]


def test_a_delivery_id_recognises_a_retry(client, team, frozen):
    connector = connector_for("zendesk", team)
    body = json.dumps(payload("zendesk")).encode()
    headers = signed_headers(connector, body, int(NOW.timestamp()))
    headers["X-Zendesk-Webhook-Invocation-Id"] = "inv-1"
    first = post_hook(client, connector, None, raw=body, headers=headers)
    again = post_hook(client, connector, None, raw=body, headers=headers)
    assert (first.status_code, again.json()["result"]) == (201, "duplicate")
    assert Delivery.objects.filter(delivery_id="inv-1", outcome="accepted").count() == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_wrong_secret_is_401_and_writes_no_ticket(client, team, frozen, kind):
    connector = connector_for(kind, team)
    body = json.dumps(payload(kind)).encode()
    connector.secret = "not-the-secret"
    headers = signed_headers(connector, body, int(NOW.timestamp()))
    response = post_hook(client, connector, None, raw=body, headers=headers)
    assert response.status_code == 401
    assert "signature" in response.json()["errors"]
    assert not Ticket.objects.exists()
    assert Delivery.objects.get().outcome == "refused"


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_signature_is_401(client, team, frozen, kind):
    connector = connector_for(kind, team)
    response = post_hook(client, connector, payload(kind), headers={})
    assert response.status_code == 401
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_changed_body_fails_the_signature(client, team, frozen, kind):
    connector = connector_for(kind, team)
    body = json.dumps(payload(kind)).encode()
    headers = signed_headers(connector, body, int(NOW.timestamp()))
    tampered = body.replace(b"ann@example.org", b"eve@example.org")
    response = post_hook(client, connector, None, raw=tampered, headers=headers)
    if connector.scheme == "bearer":
        assert response.status_code == 201  # a bearer token does not cover the body
    else:
        assert response.status_code == 401
        assert not Ticket.objects.exists()


@pytest.mark.parametrize("kind", ["zendesk", "glpi", "generic"])
def test_an_old_signed_call_is_refused_as_a_replay(client, team, frozen, kind):
    connector = connector_for(kind, team)
    old = int(NOW.timestamp()) - connector.timestamp_tolerance - 1
    response = post_hook(client, connector, payload(kind), unix=old)
    assert response.status_code == 401
    assert "timestamp" in response.json()["errors"]["signature"][0]
    assert not Ticket.objects.exists()


def test_the_tolerance_is_per_connector(client, team, frozen):
    connector = connector_for("generic", team, timestamp_tolerance=3600)
    response = post_hook(client, connector, payload("generic"), unix=int(NOW.timestamp()) - 1800)
    assert response.status_code == 201


def test_an_unknown_team_is_400_listing_the_mapping(client, team, frozen):
    connector = connector_for("zendesk", team)
    data = payload("zendesk")
    data["ticket"]["group"] = "Facilities"
    response = post_hook(client, connector, data)
    assert response.status_code == 400
    [message] = response.json()["errors"]["team"]
    assert "'Facilities'" in message and "Service Desk → workplace" in message
    assert not Ticket.objects.exists()
    assert Delivery.objects.get().reason.startswith("team: No team for 'Facilities'")


def test_the_default_team_takes_what_the_mapping_does_not_know(client, team, frozen):
    other = TeamFactory(slug="facilities", name="Facilities")
    connector = connector_for("zendesk", team, default_team=other)
    data = payload("zendesk")
    data["ticket"]["group"] = "Somewhere else"
    assert post_hook(client, connector, data).status_code == 201
    assert Ticket.objects.get().team == other


def test_missing_fields_are_400_naming_the_path_in_the_payload(client, team, frozen):
    connector = connector_for("jira", team)
    data = payload("jira")
    del data["issue"]["fields"]["reporter"]
    data["issue"]["fields"]["resolutiondate"] = "last tuesday"
    errors = post_hook(client, connector, data).json()["errors"]
    assert set(errors) == {
        "requester_email (issue.fields.reporter.emailAddress)",
        "closed_at (issue.fields.resolutiondate)",
    }
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("raw", [b"{not json", b"[]", b'"text"', b"\xff\xfe"])
def test_a_malformed_signed_body_is_400(client, team, frozen, raw):
    connector = connector_for("generic", team)
    response = post_hook(client, connector, None, raw=raw)
    assert response.status_code == 400
    assert response.json()["errors"]["body"]


def test_a_body_over_256kb_is_413_before_anything_else(client, team, frozen):
    connector = connector_for("generic", team)
    data = payload("generic") | {"subject": "x" * 300_000}
    assert post_hook(client, connector, data).status_code == 413
    assert not Ticket.objects.exists()


def test_an_event_no_rule_knows_is_accepted_and_ignored(client, team, frozen):
    connector = connector_for("zendesk", team)
    data = payload("zendesk")
    data["ticket"]["status"] = "Archived"
    response = post_hook(client, connector, data)
    assert response.status_code == 202
    assert not Ticket.objects.exists()
    assert "'archived'" in Delivery.objects.get().reason


def test_an_unknown_or_inactive_connector_is_404(client, team, frozen):
    connector = connector_for("generic", team, active=False)
    assert post_hook(client, connector, payload("generic")).status_code == 404
    connector.slug = "nope"
    assert post_hook(client, connector, payload("generic")).status_code == 404


def test_get_is_not_allowed(client, team):
    connector = connector_for("generic", team)
    assert client.get(f"/api/v1/hooks/{connector.slug}").status_code == 405


def test_json_pointers_work_as_paths(client, team, frozen):
    connector = connector_for("generic", team)
    connector.mapping["requester_email"] = "/requester/email"
    connector.mapping["external_id"] = "/external_id"
    connector.save()
    assert post_hook(client, connector, payload("generic")).status_code == 201


def test_a_webhook_call_costs_a_fixed_number_of_queries(client, team, frozen):
    connector = connector_for("generic", team)
    post_hook(client, connector, payload("generic"))  # requester and agent exist from now on
    data = payload("generic") | {"external_id": "43"}
    with CaptureQueriesContext(connection) as queries:
        assert post_hook(client, connector, data).status_code == 201
    # connector, retry check, teams, requester (locked), agent, ticket (inserted unless known),
    # delivery rules, suppressed addresses, invitation and delivery, plus the savepoint standing
    # in for BEGIN/COMMIT inside the test's transaction (the throttle check adds one when on).
    assert len(queries) == 12, [q["sql"] for q in queries]
