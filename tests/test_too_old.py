"""ITPULSE_MAX_TICKET_AGE_DAYS (issue 16, point 2): a ticket closed longer ago is registered,
counted and shown, but not surveyed (status too_old), whichever door it came in by."""

import io
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from surveys.models import Invitation, Ticket
from tests.conftest import NOW
from tests.hooks import connector_for, payload, post_hook

# The invitations go through surveys.sql's hand-written INSERT: also run on SQLite.
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


@pytest.fixture(autouse=True)
def age_limit(settings):
    settings.ITPULSE_MAX_TICKET_AGE_DAYS = 7  # the default; conftest switches it off


def stamp(moment):
    return moment.isoformat().replace("+00:00", "Z")


def ticket(external_id="SD-1", closed_at=NOW, **extra):
    return {
        "source": "jira",
        "external_id": external_id,
        "team": "workplace",
        "requester": {"email": "ann@example.org"},
        "closed_at": stamp(closed_at),
        **extra,
    }


def post(client, headers, data, url="/api/v1/tickets/closed"):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def test_a_ticket_closed_in_2001_is_registered_not_surveyed(
    client, team, api_headers, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, api_headers, ticket(closed_at=NOW.replace(year=2001)))
    assert response.status_code == 201
    assert response.json()["invitation"]["status"] == "too_old"
    assert "more than 7 days" in response.json()["invitation"]["reason"]
    assert Ticket.objects.count() == 1
    assert Invitation.objects.get().status == Invitation.Status.TOO_OLD
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("age", "status"),
    [
        (timedelta(days=7), "planned"),  # exactly the limit: still surveyed
        (timedelta(days=7, seconds=1), "too_old"),
        (timedelta(days=6, hours=23), "planned"),
        (timedelta(days=8), "too_old"),
    ],
)
def test_the_limit_is_days_to_the_second(client, team, api_headers, frozen, age, status):
    response = post(client, api_headers, ticket(closed_at=NOW - age))
    assert response.json()["invitation"]["status"] == status


def test_the_limit_follows_the_setting_and_zero_lifts_it(
    client, team, api_headers, frozen, settings
):
    settings.ITPULSE_MAX_TICKET_AGE_DAYS = 30
    old = post(client, api_headers, ticket("SD-1", NOW - timedelta(days=20)))
    assert old.json()["invitation"]["status"] == "planned"
    settings.ITPULSE_MAX_TICKET_AGE_DAYS = 0
    older = post(client, api_headers, ticket("SD-2", NOW.replace(year=2001)))
    assert older.json()["invitation"]["status"] == "planned"


def test_a_batch_answers_each_ticket_its_own_status(client, team, api_headers, frozen):
    tickets = [ticket("SD-1"), ticket("SD-2", NOW - timedelta(days=30))]
    data = post(client, api_headers, {"tickets": tickets}, "/api/v1/tickets/closed/batch").json()
    assert data["created"] == 2  # counted as registered, like any other
    assert [r["invitation"]["status"] for r in data["results"]] == ["planned", "too_old"]


def test_an_old_ticket_does_not_throttle_a_recent_one(client, team, api_headers, frozen, settings):
    settings.ITPULSE_THROTTLE_DAYS = 14
    tickets = [ticket("SD-1", NOW - timedelta(days=30)), ticket("SD-2")]
    data = post(client, api_headers, {"tickets": tickets}, "/api/v1/tickets/closed/batch").json()
    assert [r["invitation"]["status"] for r in data["results"]] == ["too_old", "planned"]


def test_a_connector_registers_it_too_old(client, team, frozen):
    generic = connector_for("generic", team)
    data = payload("generic") | {"closed_at": stamp(NOW - timedelta(days=10))}
    response = post_hook(client, generic, data)
    assert response.status_code == 201
    assert response.json()["invitation"]["status"] == "too_old"


def test_a_csv_import_of_last_year_is_registered_and_shown_not_surveyed(
    client, carol, team, frozen, tmp_path
):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,requester email,closed at,team\n"
        "1,ann@example.org,2025-11-25 10:00,workplace\n"
        "2,bert@example.org,2026-11-25 10:00,workplace\n"
    )
    out = io.StringIO()
    call_command("import_tickets", str(path), stdout=out, stderr=io.StringIO())
    assert "Imported 2 tickets" in out.getvalue()
    statuses = dict(Invitation.objects.values_list("ticket__external_id", "status"))
    assert statuses == {"1": "too_old", "2": "planned"}
    client.force_login(carol)
    page = client.get("/staff/tickets/").content.decode()
    assert ">too old</span>" in page and "closed more than 7 days before it was received" in page
