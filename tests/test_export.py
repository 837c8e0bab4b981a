import csv
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from surveys.csvexport import LocalTime

from .conftest import NOW
from .factories import ResponseFactory

pytestmark = pytest.mark.django_db

URL = "/dashboard/teams/workplace/export.csv"


def answer(team, score, comment="", days_ago=1, **extra):
    when = NOW - timedelta(days=days_ago)
    return ResponseFactory(
        invitation__ticket__team=team, score=score, comment=comment, created_at=when, **extra
    )


def rows_of(response) -> list[dict]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_it_streams_the_responses_of_the_period(client, alice, team, frozen):
    answer(team, 10, "Great", days_ago=2, invitation__ticket__requester__email="ann@example.org")
    answer(team, 0, days_ago=100)
    client.force_login(alice)
    response = client.get(URL + "?period=90&identity=1")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="itpulse-workplace-2026-08-28-to-2026-11-25-with-requesters.csv"'
    )
    rows = rows_of(response)
    assert len(rows) == 1
    assert rows[0]["score"] == "10" and rows[0]["category"] == "promoter"
    assert rows[0]["comment"] == "Great" and rows[0]["requester_email"] == "ann@example.org"
    assert rows[0]["answered_at"] == "2026-11-23T11:00:00+01:00"  # the viewer's zone


def test_filters_apply_and_are_in_the_file_name(client, alice, team, frozen):
    answer(team, 2, "printer broken")
    answer(team, 3, "slow")
    answer(team, 10, "printer fixed")
    client.force_login(alice)
    response = client.get(URL + "?period=30&category=detractor&q=Printer")
    assert [row["comment"] for row in rows_of(response)] == ["printer broken"]
    assert response["Content-Disposition"] == (
        'attachment; filename="itpulse-workplace-2026-10-27-to-2026-11-25-detractors'
        '-search-printer.csv"'
    )
    by_score = client.get(URL + "?period=30&score=3")
    assert [row["comment"] for row in rows_of(by_score)] == ["slow"]
    assert "-score-3.csv" in by_score["Content-Disposition"]


def test_an_anonymous_team_exports_no_identity(client, alice, team, frozen):
    team.anonymous = True
    team.save()
    answer(team, 5, "meh", invitation__ticket__requester__email="ann@example.org")
    for _ in range(4):  # five people: a group an anonymous team's export may show
        answer(team, 9)
    client.force_login(alice)
    response = client.get(URL + "?identity=1")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "ann@example.org" not in body and "requester" not in body
    assert "with-requesters" not in response["Content-Disposition"]
    assert "meh" in body


def test_a_comment_that_looks_like_a_formula_is_quoted(client, alice, team, frozen):
    answer(team, 5, "=HYPERLINK(1)")
    client.force_login(alice)
    assert rows_of(client.get(URL))[0]["comment"] == "'=HYPERLINK(1)"


def test_a_lead_cannot_export_another_team(client, bob, frozen):
    from .factories import TeamFactory

    TeamFactory(slug="network")
    client.force_login(bob)
    assert client.get("/dashboard/teams/network/export.csv").status_code == 404
    assert client.get(URL).status_code == 200


def test_who_answered_is_left_out_unless_asked_for(client, alice, team, frozen):
    answer(team, 9, "ok", invitation__ticket__requester__email="ann@example.org")
    client.force_login(alice)
    body = b"".join(client.get(URL).streaming_content).decode("utf-8-sig")
    assert "ann@example.org" not in body and "requester_email" not in body
    assert rows_of(client.get(URL + "?identity=1"))[0]["requester_email"] == "ann@example.org"


def test_local_times_are_right_across_a_daylight_saving_change():
    zone = ZoneInfo("Europe/Amsterdam")
    local_time = LocalTime(zone)
    start = datetime(2026, 10, 24, 23, 50, 7, 123456, tzinfo=UTC)  # DST ends 25 Oct 01:00 UTC
    for minutes in range(0, 26 * 60, 7):
        instant = start + timedelta(minutes=minutes)
        assert local_time(instant) == instant.astimezone(zone).isoformat(timespec="seconds")
