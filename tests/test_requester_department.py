"""A requester's department comes from the helpdesk (API, batch, webhook, CSV), not only the admin.

It feeds IT's opt-in ratings of its customers, which are only ever shown per department.
"""

import io
import json

import pytest
from django.core.management import call_command

from surveys.models import Requester

from .hooks import connector_for, payload, post_hook

pytestmark = pytest.mark.django_db


def ticket(external_id="SD-1", **requester):
    return {
        "source": "jira",
        "external_id": external_id,
        "team": "workplace",
        "requester": {"email": "ann@example.org", **requester},
        "closed_at": "2026-11-25T09:00:00Z",
    }


def post(client, api_headers, url, data):
    return client.post(url, json.dumps(data), content_type="application/json", **api_headers)


def test_the_api_stores_it_and_a_later_close_updates_it(client, team, api_headers, frozen):
    url = "/api/v1/tickets/closed"
    assert post(client, api_headers, url, ticket(department="Finance")).status_code == 201
    assert Requester.objects.get().department == "Finance"
    assert post(client, api_headers, url, ticket("SD-2")).status_code == 201  # not sent: kept
    assert Requester.objects.get().department == "Finance"
    assert post(client, api_headers, url, ticket("SD-3", department="HR")).status_code == 201
    assert Requester.objects.get().department == "HR"


def test_a_too_long_department_is_a_400_naming_it(client, team, api_headers, frozen):
    response = post(client, api_headers, "/api/v1/tickets/closed", ticket(department="x" * 101))
    assert response.status_code == 400
    assert "requester.department" in response.json()["errors"]
    assert not Requester.objects.exists()


def test_the_batch_stores_it(client, team, api_headers, frozen):
    data = {"tickets": [ticket(department="Finance")]}
    assert post(client, api_headers, "/api/v1/tickets/closed/batch", data).status_code == 200
    assert Requester.objects.get().department == "Finance"


def test_a_generic_webhook_maps_it(client, team, frozen):
    connector = connector_for("generic", team)
    data = payload("generic")
    data["requester"]["department"] = "Facilities"
    assert post_hook(client, connector, data).status_code == 201
    assert Requester.objects.get().department == "Facilities"


def test_a_csv_afdeling_column_is_the_department(tmp_path, team, frozen):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,requester email,afdeling,closed at,team\n"
        "1,ann@example.org,Finance,2026-11-25 09:00,workplace\n"
    )
    call_command("import_tickets", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Requester.objects.get().department == "Finance"
