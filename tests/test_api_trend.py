from datetime import UTC, datetime

import pytest

from .factories import ResponseFactory, TeamFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/teams/workplace/trend"
# A point's fields since the first release (issue 17 added question_type and the other kinds').
OLD_FIELDS = (
    "period_start",
    "nps",
    "margin_of_error",
    "responses",
    "promoters",
    "passives",
    "detractors",
    "uncertain",
    "withheld",
)


def answers(team, scores, when):
    for score in scores:
        ResponseFactory(invitation__ticket__team=team, score=score, created_at=when)


def test_it_needs_a_token(client, team):
    assert client.get(URL).status_code == 401


def test_weekly_points_with_the_small_sample_rules(client, team, api_headers, frozen):
    answers(team, [10] * 4, datetime(2026, 11, 3, 12, tzinfo=UTC))  # week of 2 Nov: 4
    answers(team, [10, 10, 9, 8, 0], datetime(2026, 11, 10, 12, tzinfo=UTC))  # week of 9 Nov
    answers(team, [9] * 30, datetime(2026, 11, 18, 12, tzinfo=UTC))  # week of 16 Nov
    answers(team, [0] * 5, datetime(2026, 10, 1, 12, tzinfo=UTC))  # before since
    url = f"{URL}?interval=week&since=2026-11-02&until=2026-11-25"
    points = client.get(url, **api_headers).json()
    assert [p["period_start"] for p in points] == [
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
        "2026-11-23",
    ]
    assert {key: points[0][key] for key in OLD_FIELDS} == {
        "period_start": "2026-11-02",
        "nps": None,
        "margin_of_error": None,
        "responses": 4,
        "promoters": 4,
        "passives": 0,
        "detractors": 0,
        "uncertain": False,
        "withheld": False,
    }
    assert points[0]["question_type"] == "nps" and points[0]["csat"] is None
    assert points[1]["nps"] == 40 and points[1]["uncertain"] and points[1]["margin_of_error"] > 0
    assert points[2]["nps"] == 100 and not points[2]["uncertain"]
    assert points[3]["responses"] == 0 and points[3]["nps"] is None


def test_monthly_points_in_the_organisation_zone(client, team, api_headers, frozen):
    # 31 October 23:30 UTC is already 1 November in Amsterdam.
    answers(team, [10], datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    answers(team, [0], datetime(2026, 10, 31, 22, 30, tzinfo=UTC))
    url = f"{URL}?interval=month&since=2026-10-01&until=2026-11-30"
    points = client.get(url, **api_headers).json()
    assert [(p["period_start"], p["promoters"], p["detractors"]) for p in points] == [
        ("2026-10-01", 0, 1),
        ("2026-11-01", 1, 0),
    ]


def test_the_default_is_a_year_of_weeks(client, team, api_headers, frozen):
    points = client.get(URL, **api_headers).json()
    assert 52 <= len(points) <= 54 and points[-1]["period_start"] == "2026-11-23"


@pytest.mark.parametrize(
    "query",
    [
        "interval=day",
        "since=yesterday",
        "since=2026-11-10&until=2026-11-01",
        "since=2000-01-01&until=2026-01-01",
    ],
)
def test_bad_input_is_400_with_reasons(client, team, api_headers, query):
    response = client.get(f"{URL}?{query}", **api_headers)
    assert response.status_code == 400 and response.json()["errors"]


def test_unknown_team_is_404(client, api_headers):
    assert client.get("/api/v1/teams/nope/trend", **api_headers).status_code == 404


def test_other_teams_do_not_count(client, team, api_headers, frozen):
    answers(TeamFactory(slug="network"), [0] * 5, datetime(2026, 11, 20, tzinfo=UTC))
    points = client.get(URL, **api_headers).json()
    assert sum(p["responses"] for p in points) == 0
