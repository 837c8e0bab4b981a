from datetime import UTC, datetime

import pytest

from .factories import ResponseFactory, TeamFactory

pytestmark = pytest.mark.django_db

OLD_FIELDS = (
    "team",
    "nps",
    "responses",
    "promoters",
    "passives",
    "detractors",
    "margin_of_error",
    "withheld",
)


def test_team_list(client, api_headers):
    TeamFactory(name="Workplace", slug="workplace")
    TeamFactory(name="Applications", slug="applications")
    response = client.get("/api/v1/teams/", **api_headers)
    assert response.json() == [
        {"slug": "applications", "name": "Applications"},
        {"slug": "workplace", "name": "Workplace"},
    ]


def test_team_list_needs_token(client):
    assert client.get("/api/v1/teams/").status_code == 401


def test_nps_counts_categories(client, team, api_headers):
    for score in [10, 9, 9, 8, 7, 6, 0, 10, 9, 3]:
        ResponseFactory(invitation__ticket__team=team, score=score)
    data = client.get("/api/v1/teams/workplace/nps", **api_headers).json()
    # The fields every client has read since the first release, unchanged...
    assert {key: data[key] for key in OLD_FIELDS} == {
        "team": "workplace",
        "nps": 20,
        "responses": 10,
        "promoters": 5,
        "passives": 2,
        "detractors": 3,
        "margin_of_error": data["margin_of_error"],
        "withheld": False,
    }
    assert 40 < data["margin_of_error"] < 60
    # ...and which scale they are on, the other kinds' fields null (issue 17, point 2).
    assert data["question_type"] == data["team_question_type"] == "nps"
    assert data["scale"] == {"low": 0, "high": 10}
    assert data["csat"] is None and data["ces"] is None and data["satisfied"] is None


def test_nps_is_null_below_five_responses(client, team, api_headers):
    for score in [10, 10, 10, 10]:
        ResponseFactory(invitation__ticket__team=team, score=score)
    data = client.get("/api/v1/teams/workplace/nps", **api_headers).json()
    assert data["nps"] is None and data["margin_of_error"] is None and data["responses"] == 4


def test_since_and_until_are_inclusive_days_in_the_organisation_zone(client, team, api_headers):
    # Europe/Amsterdam: 2026-11-24 23:30 UTC is already 25 November there.
    for when in [
        datetime(2026, 11, 23, 12, tzinfo=UTC),
        datetime(2026, 11, 24, 23, 30, tzinfo=UTC),
        datetime(2026, 11, 25, 22, 59, tzinfo=UTC),
        datetime(2026, 11, 25, 23, 1, tzinfo=UTC),
    ]:
        ResponseFactory(invitation__ticket__team=team, created_at=when)
    url = "/api/v1/teams/workplace/nps?since=2026-11-25&until=2026-11-25"
    assert client.get(url, **api_headers).json()["responses"] == 2
    assert (
        client.get("/api/v1/teams/workplace/nps?until=2026-11-24", **api_headers).json()[
            "responses"
        ]
        == 1
    )


@pytest.mark.parametrize(
    "query", ["since=25-11-2026", "until=soon", "since=2026-11-25&until=2026-11-01"]
)
def test_bad_dates_are_400(client, team, api_headers, query):
    response = client.get(f"/api/v1/teams/workplace/nps?{query}", **api_headers)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_unknown_team_is_404_json(client, api_headers):
    response = client.get("/api/v1/teams/nope/nps", **api_headers)
    assert response.status_code == 404
    assert response.json() == {"errors": {"team": ["Unknown team."]}}


def test_other_teams_do_not_count(client, team, api_headers):
    ResponseFactory(invitation__ticket__team=TeamFactory(slug="network"), score=0)
    assert client.get("/api/v1/teams/workplace/nps", **api_headers).json()["responses"] == 0
