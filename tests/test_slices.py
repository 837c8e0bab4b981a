"""The team page, the trend and score API and the exports filtered by a ticket's category,
priority, channel and its requester's department (scoring/slices.py), with the small-group rule
of surveys/privacy.py for every slice."""

import csv
import io
from datetime import timedelta
from importlib import import_module

import pytest
from django.db import connection

from surveys.demo import load_demo
from surveys.models import Invitation, Response
from surveys.services import response_submit

from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, ResponseFactory

pytestmark = pytest.mark.django_db

NPS_URL = "/api/v1/teams/workplace/nps"
TREND_URL = "/api/v1/teams/workplace/trend"
PAGE_URL = "/dashboard/teams/workplace/"
EXPORT_URL = "/dashboard/teams/workplace/export.csv"


def answers(team, score, n, days_ago=2, comment="", department="", **ticket):
    """n answers of n different people, their tickets of the slice given."""
    ticket_fields = {f"invitation__ticket__{key}": value for key, value in ticket.items()}
    return [
        ResponseFactory(
            invitation__ticket__team=team,
            invitation__ticket__requester__department=department,
            score=score,
            comment=comment,
            created_at=NOW - timedelta(days=days_ago),
            **ticket_fields,
        )
        for _ in range(n)
    ]


def rows_of(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def mixed(team, frozen):
    """Printing (6 people, all 10) and VPN (6 people, all 0): NPS 0 together."""
    answers(team, 10, 6, category="printing", priority="high", channel="phone", comment="Fast")
    answers(team, 0, 6, category="vpn", priority="low", channel="email", comment="Slow")


def test_the_score_api_filters_by_category_priority_and_channel(client, mixed, api_headers):
    assert client.get(NPS_URL, **api_headers).json()["nps"] == 0
    printing = client.get(NPS_URL + "?category=Printing", **api_headers).json()
    assert (printing["nps"], printing["responses"], printing["withheld"]) == (100, 6, False)
    assert client.get(NPS_URL + "?priority=low", **api_headers).json()["nps"] == -100
    assert client.get(NPS_URL + "?channel=phone", **api_headers).json()["nps"] == 100
    both = client.get(NPS_URL + "?channel=phone&priority=low", **api_headers).json()
    assert both["responses"] == 0


def test_the_score_api_filters_by_department(client, team, api_headers, frozen):
    answers(team, 10, 5, department="Finance")
    answers(team, 0, 5, department="HR")
    data = client.get(NPS_URL + "?department=finance", **api_headers).json()
    assert (data["nps"], data["responses"]) == (100, 5)


def test_the_trend_api_filters(client, mixed, api_headers):
    url = TREND_URL + "?interval=week&since=2026-11-16&until=2026-11-25&category=vpn"
    points = client.get(url, **api_headers).json()
    assert [(p["period_start"], p["responses"], p["nps"]) for p in points] == [
        ("2026-11-16", 0, None),
        ("2026-11-23", 6, -100),
    ]


def test_a_bad_filter_is_a_400_naming_it(client, team, api_headers):
    response = client.get(NPS_URL + "?priority=whenever", **api_headers)
    assert response.status_code == 400
    assert "priority" in response.json()["errors"]
    assert client.get(TREND_URL + "?channel=fax", **api_headers).status_code == 400


def test_the_team_page_filters_score_rate_and_comments(client, alice, mixed):
    client.force_login(alice)
    page = client.get(PAGE_URL + "?ticket_category=vpn").content.decode()
    assert "data-sliced" in page
    assert "Slow" in page and "Fast" not in page
    assert "6 answered of 6 sent" in page
    assert "data-agents-unsliced" in page
    # ?category= stays the comments' band filter it always was.
    promoters = client.get(PAGE_URL + "?category=promoter").content.decode()
    assert "Fast" in promoters and "Slow" not in promoters and "data-sliced" not in promoters
    unfiltered = client.get(PAGE_URL).content.decode()
    assert "Slow" in unfiltered and "Fast" in unfiltered and "data-sliced" not in unfiltered


def test_the_export_filters_and_names_the_slice(client, alice, mixed):
    client.force_login(alice)
    response = client.get(EXPORT_URL + "?period=30&ticket_category=printing&channel=phone")
    assert "printing-phone" in response["Content-Disposition"]
    rows = rows_of(response)
    assert [row["comment"] for row in rows] == ["Fast"] * 6


def test_a_slice_below_the_minimum_group_hides_its_score_and_comments(
    client, alice, team, api_headers, frozen, settings
):
    settings.ITPULSE_MIN_GROUP = 5
    answers(team, 10, 20, comment="Fine")
    answers(team, 0, 4, department="Finance", comment="Only four of us")
    data = client.get(NPS_URL + "?department=Finance", **api_headers).json()
    assert data["withheld"] is True and data["nps"] is None
    client.force_login(alice)
    page = client.get(PAGE_URL + "?department=Finance").content.decode()
    assert "Only four of us" not in page and "data-withheld" in page
    rows = rows_of(client.get(EXPORT_URL + "?department=Finance"))
    assert rows == []  # the header only
    # Without the filter the team's page shows them, as before.
    assert "Only four of us" in client.get(PAGE_URL).content.decode()


def test_one_person_answering_often_is_still_one_person(client, team, api_headers, frozen):
    requester = RequesterFactory(department="Legal")
    for _ in range(6):
        ResponseFactory(
            invitation__ticket__team=team,
            invitation__ticket__requester=requester,
            created_at=NOW - timedelta(days=1),
        )
    data = client.get(NPS_URL + "?department=Legal", **api_headers).json()
    assert data["withheld"] is True


def test_an_answer_keeps_its_tickets_slice(team, frozen):
    invitation = InvitationFactory(
        ticket__team=team,
        ticket__category="printing",
        ticket__priority="urgent",
        ticket__channel="chat",
        ticket__requester__department="Finance",
        status=Invitation.Status.SENT,
        sent_at=NOW,
        expires_at=NOW + timedelta(days=7),
    )
    response = response_submit(invitation=invitation, score=9, now=NOW)
    response.refresh_from_db()
    assert (
        response.slice_category,
        response.slice_priority,
        response.slice_channel,
        response.slice_department,
    ) == ("printing", "urgent", "chat", "Finance")


def test_an_anonymous_answer_keeps_no_slice(team, frozen):
    team.anonymous = True
    team.save()
    invitation = InvitationFactory(
        ticket__team=team,
        ticket__category="printing",
        ticket__requester__department="Finance",
        status=Invitation.Status.SENT,
        sent_at=NOW,
        expires_at=NOW + timedelta(days=7),
    )
    response = response_submit(invitation=invitation, score=9, now=NOW, token="t")
    response.refresh_from_db()
    assert (response.slice_category, response.slice_department) == ("", "")


def test_the_migration_gives_answers_their_requesters_department(team, frozen):
    [answer] = answers(team, 9, 1, department="Finance")
    Response.objects.filter(pk=answer.pk).update(slice_department="")
    migration = import_module("surveys.migrations.0016_response_slice")
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    answer.refresh_from_db()
    assert answer.slice_department == "Finance"


def test_the_demo_has_slices_to_filter_by(client, api_headers, frozen):
    load_demo(now=NOW, days=30)
    assert Response.objects.exclude(slice_category="").exists()
    slug = Response.objects.filter(team__anonymous=False).values_list("team__slug", flat=True)[0]
    data = client.get(f"/api/v1/teams/{slug}/nps?category=hardware", **api_headers).json()
    assert data["sent"] > 0
