"""Close times as helpdesks write them, read by one parser (surveys/times.py) for every door:
the REST API (single and batch), a connector's payload and a CSV import (issue 16, point 2)."""

import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from surveys.models import Ticket
from surveys.times import parse_time
from tests.hooks import connector_for, payload, post_hook

# TIME_ZONE is Europe/Amsterdam: +01:00 on 25 November.
NINE_UTC = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
NINE_UNIX = int(NINE_UTC.timestamp())


@pytest.mark.parametrize(
    "raw",
    [
        "2026-11-25T09:00:00Z",
        "2026-11-25T09:00:00.000Z",
        "2026-11-25t09:00:00z",
        "2026-11-25T10:00:00+01:00",
        "2026-11-25T10:00:00+0100",  # a numeric offset without a colon (Jira, ServiceNow)
        "2026-11-25T10:00:00+01",
        "2026-11-25 10:00:00+01:00",  # a space for "T"
        "2026-11-25T10:00:00",  # no zone: the organisation's
        "2026-11-25 10:00:00",
        "2026-11-25 10:00",
        "20261125T090000Z",
        "25-11-2026 10:00",  # Excel's Dutch day-month-year
        str(NINE_UNIX),  # Unix seconds, as text
        str(NINE_UNIX * 1000),  # milliseconds
        f"{NINE_UNIX}.000",
        NINE_UNIX,  # as a JSON number
        NINE_UNIX * 1000,
        float(NINE_UNIX * 1000),
    ],
)
def test_every_form_of_one_instant_reads_the_same(raw):
    assert parse_time(raw) == NINE_UTC


@pytest.mark.parametrize("raw", ["2026-11-25", "20261125", "25-11-2026"])
def test_a_date_alone_is_midnight_in_the_organisations_zone(raw):
    assert parse_time(raw) == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)


def test_no_zone_means_the_organisations_not_the_active_one(settings):
    # A CSV imported by someone whose own zone is Tokyo still means what the helpdesk meant.
    with timezone.override("Asia/Tokyo"):
        assert parse_time("2026-11-25 10:00") == NINE_UTC
    settings.TIME_ZONE = "America/New_York"
    assert parse_time("2026-11-25 04:00") == NINE_UTC


@pytest.mark.parametrize(
    "raw",
    ["yesterday", "", "  ", "25/11/2026", "-1", "1e12", "²⁰²⁶", True, None, [], {}, "31-02-2026"],
)
def test_what_is_no_time_is_none(raw):
    assert parse_time(raw) is None


def body(**overrides):
    data = {
        "source": "jira",
        "external_id": "SD-1",
        "team": "workplace",
        "requester": {"email": "ann@example.org"},
        "closed_at": "2026-11-25T09:00:00Z",
    }
    return data | overrides


def post(client, headers, data, url="/api/v1/tickets/closed"):
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "closed_at", [NINE_UNIX, NINE_UNIX * 1000, "2026-11-25 10:00", "2026-11-25T10:00:00+0100"]
)
def test_the_api_takes_each_form(client, team, api_headers, frozen, closed_at):
    response = post(client, api_headers, body(closed_at=closed_at))
    assert response.status_code == 201, response.json()
    assert response.json()["ticket"]["closed_at"] == "2026-11-25T09:00:00Z"
    assert Ticket.objects.get().closed_at == NINE_UTC


@pytest.mark.django_db
def test_the_batch_takes_unix_milliseconds(client, team, api_headers, frozen):
    tickets = [body(external_id="SD-1", closed_at=NINE_UNIX * 1000), body(external_id="SD-2")]
    response = post(client, api_headers, {"tickets": tickets}, "/api/v1/tickets/closed/batch")
    assert response.json()["created"] == 2
    assert set(Ticket.objects.values_list("closed_at", flat=True)) == {NINE_UTC}


@pytest.mark.django_db
@pytest.mark.parametrize("closed_at", [True, "yesterday", {"at": NINE_UNIX}])
def test_the_api_still_refuses_what_is_no_time(client, team, api_headers, frozen, closed_at):
    response = post(client, api_headers, body(closed_at=closed_at))
    assert response.status_code == 400
    assert "closed_at" in response.json()["errors"]
    assert not Ticket.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("closed_at", [NINE_UNIX * 1000, NINE_UNIX, "2026-11-25 10:00:00"])
def test_a_connector_takes_each_form(client, team, frozen, closed_at):
    generic = connector_for("generic", team)
    data = payload("generic") | {"closed_at": closed_at}
    response = post_hook(client, generic, data)
    assert response.status_code == 201, response.json()
    assert Ticket.objects.get().closed_at == NINE_UTC


@pytest.mark.django_db
def test_a_csv_import_takes_each_form(tmp_path, team, frozen):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,requester email,closed at,team\n"
        f"1,ann@example.org,{NINE_UNIX},workplace\n"
        f"2,ann@example.org,{NINE_UNIX * 1000},workplace\n"
        "3,ann@example.org,2026-11-25 10:00,workplace\n"
        "4,ann@example.org,2026-11-25T10:00:00+0100,workplace\n"
        "5,ann@example.org,25-11-2026 10:00,workplace\n"
    )
    out = io.StringIO()
    call_command("import_tickets", str(path), stdout=out, stderr=io.StringIO())
    assert "Imported 5 tickets" in out.getvalue()
    assert set(Ticket.objects.values_list("closed_at", flat=True)) == {NINE_UTC}
