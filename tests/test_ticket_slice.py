"""A ticket's slice (category, priority, channel) arrives through every door (API, batch,
webhooks, CSV), optional and in our few values (surveys/slices.py)."""

import io
import json
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command

from integrations.models import Connector
from surveys.models import Ticket

from .hooks import connector_for, payload, post_hook

pytestmark = pytest.mark.django_db


def ticket(external_id="SD-1", **fields):
    return {
        "source": "jira",
        "external_id": external_id,
        "team": "workplace",
        "requester": {"email": "ann@example.org"},
        "closed_at": "2026-11-25T09:00:00Z",
        **fields,
    }


def post(client, api_headers, url, data):
    return client.post(url, json.dumps(data), content_type="application/json", **api_headers)


def test_the_api_stores_the_slice_in_one_spelling(client, team, api_headers, frozen):
    data = ticket(category="  VPN   Access ", priority="Highest", channel="Phone call")
    response = post(client, api_headers, "/api/v1/tickets/closed", data)
    assert response.status_code == 201
    stored = Ticket.objects.get()
    assert (stored.category, stored.priority, stored.channel) == ("vpn access", "urgent", "phone")
    body = response.json()["ticket"]
    assert [body[key] for key in ("category", "priority", "channel")] == [
        "vpn access",
        "urgent",
        "phone",
    ]


def test_absent_is_unknown(client, team, api_headers, frozen):
    assert post(client, api_headers, "/api/v1/tickets/closed", ticket()).status_code == 201
    stored = Ticket.objects.get()
    assert (stored.category, stored.priority, stored.channel) == ("", "", "")


@pytest.mark.parametrize(
    ("field", "value"),
    [("priority", "whenever"), ("channel", "carrier pigeon"), ("category", "x" * 51)],
)
def test_a_bad_value_is_a_400_naming_it_and_stores_nothing(
    client, team, api_headers, frozen, field, value
):
    response = post(client, api_headers, "/api/v1/tickets/closed", ticket(**{field: value}))
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Ticket.objects.exists()


def test_a_dutch_word_is_read(client, team, api_headers, frozen):
    data = ticket(priority="Hoog", channel="Telefonisch")
    assert post(client, api_headers, "/api/v1/tickets/closed", data).status_code == 201
    assert Ticket.objects.values_list("priority", "channel").get() == ("high", "phone")


def test_the_batch_stores_it(client, team, api_headers, frozen):
    data = {"tickets": [ticket(category="Printing", priority="low", channel="portal")]}
    assert post(client, api_headers, "/api/v1/tickets/closed/batch", data).status_code == 200
    assert Ticket.objects.values_list("category", "priority", "channel").get() == (
        "printing",
        "low",
        "portal",
    )


def test_a_generic_webhook_maps_it(client, team, frozen):
    connector = connector_for("generic", team)
    data = payload("generic") | {"category": "Hardware", "priority": "URGENT", "channel": "chat"}
    assert post_hook(client, connector, data).status_code == 201
    assert Ticket.objects.values_list("category", "priority", "channel").get() == (
        "hardware",
        "urgent",
        "chat",
    )


def test_a_webhook_with_a_label_we_cannot_read_still_registers_the_ticket(client, team, frozen):
    connector = connector_for("generic", team)
    data = payload("generic") | {"priority": "P9 whenever", "channel": "fax"}
    assert post_hook(client, connector, data).status_code == 201
    assert Ticket.objects.values_list("priority", "channel").get() == ("", "")


def test_a_servicenow_priority_number_is_its_meaning(client, team, frozen):
    connector = connector_for("servicenow", team)
    data = payload("servicenow") | {"priority": "1", "contact_type": "self-service"}
    assert post_hook(client, connector, data).status_code == 201
    assert Ticket.objects.values_list("priority", "channel").get() == ("urgent", "portal")


def test_a_freshservice_priority_number_is_its_meaning(client, team, frozen):
    connector = connector_for("freshservice", team)
    data = payload("freshservice")
    data["freshdesk_webhook"] |= {"ticket_priority": "1", "ticket_source": "Walkup"}
    assert post_hook(client, connector, data).status_code == 201
    assert Ticket.objects.values_list("priority", "channel").get() == ("low", "walk_in")


def test_a_new_connector_maps_the_slice(team):
    connector = connector_for("zendesk", team)
    assert connector.mapping["priority"] == "ticket.priority"
    assert connector.mapping["channel"] == "ticket.via"


def test_the_csv_columns_in_dutch(tmp_path, team, frozen):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,requester email,closed at,team,categorie,prioriteit,kanaal\n"
        "1,ann@example.org,2026-11-25 09:00,workplace,Software,Laag,E-mail\n"
        "2,bob@example.org,2026-11-25 09:00,workplace,,onbekend,duif\n"
    )
    call_command("import_tickets", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    rows = Ticket.objects.order_by("external_id").values_list("category", "priority", "channel")
    assert list(rows) == [("software", "low", "email"), ("", "", "")]


def test_the_migration_gives_existing_connectors_the_paths_and_keeps_their_own(team):
    migration = import_module("integrations.migrations.0005_connector_slice_paths")
    own = connector_for("jira", team)
    own.mapping = {k: v for k, v in own.mapping.items() if k not in ("category", "priority")}
    own.mapping["category"] = "issue.fields.customfield_20000.value"
    own.save()
    migration.add_paths(apps, None)
    own = Connector.objects.get(pk=own.pk)
    assert own.mapping["category"] == "issue.fields.customfield_20000.value"  # theirs kept
    assert own.mapping["priority"] == "issue.fields.priority.name"  # added
    assert own.mapping["external_id"] == "issue.key"  # nothing else changed
