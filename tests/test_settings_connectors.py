"""Connectors in the settings area (/settings/connectors/): added, changed, switched off and
given a new secret by administrators through the pages; the secret shown once, when it is made;
the old staff addresses redirect for good. (The test event: tests/test_connector_pages.py.)"""

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission

from audit.models import AuditEvent
from integrations.models import Connector
from surveys.models import Ticket

from .factories import TeamFactory
from .hooks import connector_for, payload, post_hook

pytestmark = pytest.mark.django_db

NEW = "/settings/connectors/new/"


def shown_secret(response) -> str:
    found = re.search(
        r'id="new-secret" type="text" readonly value="([^"]+)"', response.content.decode()
    )
    assert found, "no secret on the page"
    return found[1]


def add(client, **fields):
    data = {
        "name": "Jira production",
        "kind": "jira",
        "team_lines": "Workplace support = workplace",
        "timestamp_tolerance": "300",
    } | fields
    return client.post(NEW, data)


def settings_events():
    return AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGED)


def test_a_connector_made_in_the_form_accepts_a_signed_event_for_its_team(
    client, carol, team, frozen
):
    client.force_login(carol)
    assert client.get(NEW).status_code == 200
    response = add(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    connector = Connector.objects.get(slug="jira-production")
    secret = shown_secret(response)
    assert secret == connector.secret and len(secret) >= 40  # made by ITPulse
    assert connector.team_map == {"Workplace support": "workplace"}
    assert (connector.scheme, connector.source) == ("hub", "jira")  # the tool's preset
    # The tool, given the secret, sends its documented call: a ticket for the mapped team.
    hook = post_hook(client, connector, payload("jira"))
    assert hook.status_code == 201, hook.content
    assert Ticket.objects.get().team == team
    # Never on the page again, nor in the audit line.
    assert secret not in client.get("/settings/connectors/jira-production/").content.decode()
    assert secret not in client.get("/settings/connectors/jira-production/edit/").content.decode()
    event = settings_events().get()
    assert (event.actor, event.target) == (carol, f"connector {connector.pk}")
    assert event.details["section"] == "connector" and "secret" in event.details["changed"]
    assert secret not in json.dumps(event.details)


def test_a_zendesk_connector_takes_the_secret_zendesk_made(client, carol, team, frozen):
    client.force_login(carol)
    response = add(client, name="Zendesk", kind="zendesk", team_lines="Service Desk = workplace")
    assert response.status_code == 400
    assert "Zendesk makes the secret" in response.content.decode()
    assert not Connector.objects.exists() and not settings_events().exists()
    response = add(
        client,
        name="Zendesk",
        kind="zendesk",
        team_lines="Service Desk = workplace",
        new_secret="zendesk-signing-secret",
    )
    assert response.status_code == 200
    connector = Connector.objects.get()
    assert connector.secret == "zendesk-signing-secret"
    assert post_hook(client, connector, payload("zendesk")).status_code == 201


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"team_lines": "Workplace support = nowhere"}, "No team has the short name nowhere."),
        ({"team_lines": "just a group"}, "Write each line as: the tool&#x27;s group = team"),
        ({"slug": "new"}, "This short name is reserved; choose another."),
        ({"name": "Jira"}, "A connector with this name already exists."),
        ({"name": ""}, "This field is required."),
        ({"writeback": "on"}, "Write-back needs the tool&#x27;s address."),
        ({"mapping": "[1, 2]"}, "An object of ITPulse field → path, all text."),
        ({"timestamp_tolerance": "-1"}, "greater than or equal to 0"),
    ],
)
def test_a_wrong_form_says_why_and_writes_nothing(client, carol, team, fields, message):
    connector_for("jira", team)
    client.force_login(carol)
    response = add(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="new-secret"' not in response.content.decode()
    assert Connector.objects.count() == 1 and not settings_events().exists()


def test_form_errors_in_dutch(client, carol, team):
    client.force_login(carol)
    response = client.post(
        NEW,
        {
            "name": "Jira",
            "kind": "zendesk",
            "team_lines": "x = nowhere",
            "timestamp_tolerance": "300",
        },
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Geen team heeft de korte naam nowhere." in html
    assert "Zendesk maakt het geheim zelf" in html


def test_changing_a_connector_keeps_its_secret_and_names_the_changed_fields(
    client, carol, team, frozen
):
    connector = connector_for("jira", team)
    network = TeamFactory(name="Network", slug="network")
    client.force_login(carol)
    page = client.get("/settings/connectors/jira/edit/").content.decode()
    assert "Workplace support = workplace" in page and connector.secret not in page
    response = client.post(
        "/settings/connectors/jira/edit/",
        {
            "name": "Jira",
            "kind": "glpi",  # the tool stays: the field is not taken from the form
            "team_lines": "Workplace support = workplace\nNetwork team = network",
            "default_team": network.pk,
            "source": connector.source,
            "scheme": connector.scheme,
            "timestamp_tolerance": "300",
            "mapping": json.dumps(connector.mapping),
            "events": json.dumps(connector.events),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/settings/connectors/jira/"
    fresh = Connector.objects.get()
    assert fresh.kind == "jira" and fresh.secret == connector.secret
    assert fresh.team_map == {"Workplace support": "workplace", "Network team": "network"}
    assert fresh.default_team == network
    assert settings_events().get().details["changed"] == ["default_team", "team_map"]


def test_switching_off_refuses_the_tool_until_switched_on(client, carol, team, frozen):
    connector = connector_for("generic", team)
    client.force_login(carol)
    response = client.post("/settings/connectors/generic/active/", {"active": "0"})
    assert response.status_code == 302
    assert post_hook(client, connector, payload("generic")).status_code == 404
    assert "Switch on" in client.get("/settings/connectors/generic/").content.decode()
    client.post("/settings/connectors/generic/active/", {"active": "1"})
    assert post_hook(client, connector, payload("generic")).status_code == 201
    assert [e.details["changed"] for e in settings_events().order_by("id")] == [
        ["active"],
        ["active"],
    ]


def test_a_new_secret_is_shown_once_and_the_old_one_stops(client, carol, team, frozen):
    connector = connector_for("generic", team)
    old = connector.secret
    client.force_login(carol)
    response = client.post("/settings/connectors/generic/secret/")
    secret = shown_secret(response)
    assert secret != old
    assert post_hook(client, connector, payload("generic")).status_code == 401  # old secret
    connector.refresh_from_db()
    assert connector.secret == secret
    assert post_hook(client, connector, payload("generic")).status_code == 201
    assert secret not in client.get("/settings/connectors/generic/").content.decode()


@pytest.mark.parametrize("actor", ["alice", "bob", "dave", "audrey"])
def test_other_roles_reach_no_connector(client, request, team, actor):
    connector = connector_for("generic", team)
    client.force_login(request.getfixturevalue(actor))
    assert client.get("/settings/connectors/").status_code == 404
    assert add(client).status_code == 404
    assert client.post("/settings/connectors/generic/active/", {"active": "0"}).status_code == 404
    assert client.post("/settings/connectors/generic/secret/").status_code == 404
    assert Connector.objects.get() == connector and Connector.objects.get().active
    assert Connector.objects.get().secret == connector.secret


def test_without_the_change_permission_the_connector_is_read_only(client, carol, team):
    """An organisation may trim the administrator group: the connector can still be read and
    tested, not changed."""
    connector_for("generic", team)
    Group.objects.get(name="administrator").permissions.remove(
        Permission.objects.get(codename="change_connector")
    )
    client.force_login(carol)
    page = client.get("/settings/connectors/generic/").content.decode()
    assert "Send test event" in page and "Change this connector" not in page
    assert client.get("/settings/connectors/generic/edit/").status_code == 404
    assert client.post("/settings/connectors/generic/active/", {"active": "0"}).status_code == 404
    assert Connector.objects.get().active


def test_the_old_staff_addresses_redirect_for_good(client, carol, team, frozen):
    connector_for("jira", team)
    client.force_login(carol)
    response = client.get("/staff/connectors/")
    assert (response.status_code, response["Location"]) == (301, "/settings/connectors/")
    response = client.get("/staff/connectors/jira/")
    assert (response.status_code, response["Location"]) == (301, "/settings/connectors/jira/")
    response = client.post("/staff/connectors/jira/test/")
    assert (response.status_code, response["Location"]) == (308, "/settings/connectors/jira/test/")
    page = client.post("/staff/connectors/jira/test/", follow=True).content.decode()
    assert "Test event: the ticket would be registered for team workplace." in page


def test_the_list_links_each_connector_and_the_form(client, carol, team):
    connector_for("jira", team)
    client.force_login(carol)
    page = client.get("/settings/connectors/").content.decode()
    assert 'href="/settings/connectors/jira/"' in page and f'href="{NEW}"' in page
    assert 'name="csrfmiddlewaretoken"' in client.get(NEW).content.decode()
