from datetime import timedelta

import pytest

from surveys.models import Invitation

from .conftest import NOW
from .factories import InvitationFactory, ResponseFactory, TeamFactory

pytestmark = pytest.mark.django_db


def answers(team, scores, days_ago=1):
    for score in scores:
        when = NOW - timedelta(days=days_ago)
        ResponseFactory(
            invitation__ticket__team=team,
            invitation__sent_at=when - timedelta(hours=1),
            score=score,
            created_at=when,
        )


def row_of(response, slug):
    for row in response.context["rows"]:
        if row.team.slug == slug:
            return row
    raise AssertionError(slug)


def test_it_needs_login(client):
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_teams_are_listed_alphabetically_never_by_score(client, alice, frozen):
    answers(TeamFactory(name="Workplace", slug="workplace"), [0] * 5)
    answers(TeamFactory(name="applications", slug="applications"), [5] * 5)
    answers(TeamFactory(name="Network", slug="network"), [10] * 5)
    client.force_login(alice)
    response = client.get("/dashboard/")
    assert [row.team.slug for row in response.context["rows"]] == [
        "applications",
        "network",
        "workplace",
    ]


def test_it_shows_nps_margin_and_counts_for_30_and_90_days(client, alice, team, frozen):
    answers(team, [10, 10, 9, 8, 0])  # 3P 1Pa 1D in the last 30 days
    answers(team, [0, 0, 0, 0, 0], days_ago=60)
    client.force_login(alice)
    response = client.get("/dashboard/")
    last30, last90 = row_of(response, "workplace").periods
    assert (last30.score.nps, last30.score.responses) == (40, 5)
    assert (last90.score.nps, last90.score.responses) == (-30, 10)
    assert last30.score.margin_of_error > 0
    assert b"not enough responses" not in response.content


def test_fewer_than_five_responses_show_the_count_not_a_score(client, alice, team, frozen):
    answers(team, [10, 10, 10, 10])
    client.force_login(alice)
    response = client.get("/dashboard/")
    assert b"not enough responses" in response.content
    assert row_of(response, "workplace").periods[0].score.nps is None


def test_response_rate_is_answered_over_sent(client, alice, team, frozen):
    answers(team, [9])
    for _ in range(3):
        InvitationFactory(
            ticket__team=team, status=Invitation.Status.SENT, sent_at=NOW - timedelta(days=2)
        )
    client.force_login(alice)
    period = row_of(client.get("/dashboard/"), "workplace").periods[0]
    assert (period.answered, period.sent) == (1, 4)


def test_a_team_lead_sees_only_their_teams(client, bob, team, frozen):
    TeamFactory(slug="network")
    client.force_login(bob)
    rows = client.get("/dashboard/").context["rows"]
    assert [row.team.slug for row in rows] == ["workplace"]


def test_an_outsider_sees_no_team(client, charlie, team, frozen):
    client.force_login(charlie)
    response = client.get("/dashboard/")
    assert response.status_code == 403 and "rows" not in response.context  # the no-role page
    assert b"Workplace" not in response.content


def test_a_role_without_teams_sees_an_empty_dashboard(client, carol, team, frozen):
    client.force_login(carol)  # the administrator configures; no team's scores
    response = client.get("/dashboard/")
    assert response.status_code == 200 and response.context["rows"] == []
    assert b"Workplace" not in response.content


def test_each_period_is_held_against_the_same_length_before_it(client, alice, team, frozen):
    for days_ago in (10, 45, 120, 200):
        answers(team, [10], days_ago=days_ago)
    client.force_login(alice)
    last30, last90 = row_of(client.get("/dashboard/"), "workplace").periods
    assert (last30.score.responses, last30.previous.score.responses) == (1, 1)
    assert (last90.score.responses, last90.previous.score.responses) == (2, 1)
