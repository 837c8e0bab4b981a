"""A requester language ITPulse does not speak falls back, and the ticket is accepted
(issue 16, point 2): `nl-BE` → nl, `en-GB` → en, anything else → LANGUAGE_CODE."""

import io
import json

import pytest
from django.core.management import call_command

from surveys.models import Requester, Ticket
from surveys.tickets import language
from tests.hooks import connector_for, payload, post_hook

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nl-BE", "nl"),
        ("nl_NL", "nl"),
        ("Nederlands", "nl"),
        ("en-GB", "en"),
        ("EN", "en"),
        ("de", "en"),
        ("fr-CA", "en"),
        ("klingon", "en"),
        ("", ""),
    ],
)
def test_languages_fall_back(raw, expected):
    assert language(raw) == expected


def test_anything_else_is_the_organisations_language(settings):
    settings.LANGUAGE_CODE = "nl"
    assert (language("de"), language("en-GB")) == ("nl", "en")
    settings.LANGUAGE_CODE = "en-us"
    assert language("fr") == "en"


def post(client, headers, requester_language, url="/api/v1/tickets/closed", **extra):
    data = {
        "source": "jira",
        "external_id": "SD-1",
        "team": "workplace",
        "requester": {"email": "ann@example.org", "language": requester_language},
        "closed_at": "2026-11-25T09:00:00Z",
    } | extra
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


@pytest.mark.parametrize(("sent", "stored"), [("de", "nl"), ("fr-FR", "nl"), ("nl-BE", "nl")])
def test_the_api_accepts_the_ticket(client, team, api_headers, frozen, settings, sent, stored):
    settings.LANGUAGE_CODE = "nl"
    response = post(client, api_headers, sent)
    assert response.status_code == 201, response.json()
    assert Requester.objects.get().language == stored


def test_a_batch_item_in_german_is_accepted(client, team, api_headers, frozen):
    item = {
        "source": "jira",
        "external_id": "SD-1",
        "team": "workplace",
        "requester": {"email": "ann@example.org", "language": "de-DE"},
        "closed_at": "2026-11-25T09:00:00Z",
    }
    response = client.post(
        "/api/v1/tickets/closed/batch",
        json.dumps({"tickets": [item]}),
        content_type="application/json",
        **api_headers,
    )
    assert response.json()["created"] == 1
    assert Requester.objects.get().language == "en"


def test_a_connector_and_a_csv_accept_it_too(client, team, frozen, tmp_path):
    generic = connector_for("generic", team)
    data = payload("generic")
    data["requester"]["language"] = "fr"
    assert post_hook(client, generic, data).status_code == 201
    path = tmp_path / "export.csv"
    path.write_text(
        "id,requester email,language,closed at,team\n"
        "7,bert@example.org,de,2026-11-25 09:00,workplace\n"
    )
    call_command("import_tickets", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Ticket.objects.count() == 2
    assert set(Requester.objects.values_list("language", flat=True)) == {"en"}
