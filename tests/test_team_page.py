from datetime import timedelta

import pytest

from .conftest import NOW
from .factories import AgentFactory, InvitationFactory, ResponseFactory, TeamFactory

pytestmark = pytest.mark.django_db

URL = "/dashboard/teams/workplace/"


def answer(team, score, days_ago=1, comment="", agent=None, **extra):
    when = NOW - timedelta(days=days_ago)
    kwargs = {"invitation__ticket__agent": agent} if agent else {}
    return ResponseFactory(
        invitation__ticket__team=team,
        invitation__sent_at=when - timedelta(hours=1),
        score=score,
        comment=comment,
        created_at=when,
        **kwargs,
        **extra,
    )


def test_it_needs_login(client, team):
    assert client.get(URL).status_code == 302


def test_an_outsider_gets_no_team(client, charlie, carol, team):
    client.force_login(charlie)  # no role: the page saying whom to ask
    assert client.get(URL).status_code == 403
    assert client.get(URL + "export.csv").status_code == 403
    client.force_login(carol)  # the administrator: a role, but no team's scores
    assert client.get(URL).status_code == 404
    assert client.get(URL + "export.csv").status_code == 404


def test_a_lead_sees_their_team_but_not_another(client, bob, team, frozen):
    TeamFactory(slug="network")
    client.force_login(bob)
    assert client.get(URL).status_code == 200
    assert client.get("/dashboard/teams/network/").status_code == 404


def test_a_manager_sees_any_team(client, alice, team, frozen):
    TeamFactory(slug="network")
    client.force_login(alice)
    assert client.get("/dashboard/teams/network/").status_code == 200


def test_it_shows_score_margin_categories_distribution_and_rate(client, alice, team, frozen):
    for score in [10, 10, 9, 8, 0]:
        answer(team, score)
    answer(team, 0, days_ago=200)  # outside the default 90 days
    InvitationFactory(ticket__team=team, sent_at=NOW - timedelta(days=3))
    client.force_login(alice)
    response = client.get(URL)
    score = response.context["score"]
    assert (score.nps, score.responses, score.promoters, score.passives, score.detractors) == (
        40,
        5,
        3,
        1,
        1,
    )
    assert score.margin_of_error > 0 and score.uncertain
    assert [bar.count for bar in response.context["distribution"]["bars"]] == [
        1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2,
    ]  # fmt: skip
    tally = response.context["tally"]
    assert (tally.answered, tally.sent) == (5, 6)
    assert b"83%" in response.content
    assert b"uncertain" in response.content


def test_the_period_is_chosen_in_days(client, alice, team, frozen):
    answer(team, 10, days_ago=20)
    answer(team, 10, days_ago=60)
    answer(team, 10, days_ago=300)
    client.force_login(alice)
    counts = {
        query: client.get(URL + query).context["score"].responses
        for query in ["?period=30", "?period=90", "?period=365"]
    }
    assert counts == {"?period=30": 1, "?period=90": 2, "?period=365": 3}
    custom = client.get(URL + "?period=custom&since=2026-09-01&until=2026-09-30")
    assert custom.context["score"].responses == 1
    assert custom.context["period"].since.isoformat() == "2026-09-01"


def test_a_bad_custom_range_says_why_and_shows_the_default(client, alice, team, frozen):
    client.force_login(alice)
    response = client.get(URL + "?period=custom&since=2026-10-10&until=2026-10-01")
    assert response.status_code == 200
    assert b"The start date must not be after the end date." in response.content
    assert response.context["period"].days == 90


def test_a_change_is_real_only_beyond_the_noise(client, alice, team, frozen):
    for _ in range(40):
        answer(team, 0, days_ago=45)  # previous 30 days: NPS -100
        answer(team, 10, days_ago=5)  # last 30 days: NPS +100
    client.force_login(alice)
    change = client.get(URL + "?period=30").context["change"]
    assert (change.points, change.real) == (200, True)


def test_a_small_change_is_called_noise(client, alice, team, frozen):
    for score in [10] * 6 + [0] * 4:
        answer(team, score, days_ago=45)
    for score in [10] * 5 + [0] * 5:
        answer(team, score, days_ago=5)
    client.force_login(alice)
    response = client.get(URL + "?period=30")
    assert (response.context["change"].points, response.context["change"].real) == (-20, False)
    assert b"within the noise" in response.content


def test_agents_below_the_minimum_are_not_shown(client, alice, team, frozen):
    ann = AgentFactory(team=team, name="Ann", email="ann@example.org")
    ben = AgentFactory(team=team, name="Ben", email="ben@example.org")
    for _ in range(5):
        answer(team, 9, agent=ann)
    for _ in range(4):
        answer(team, 0, agent=ben)
    client.force_login(alice)
    response = client.get(URL)
    assert [row.agent.name for row in response.context["agents"]] == ["Ann"]
    assert b'data-agent="ben@example.org"' not in response.content
    assert b"Not shown: agents with fewer than 5 responses (1)." in response.content


def test_trend_is_a_chart_with_a_band_and_a_table(client, alice, team, frozen):
    for _ in range(6):
        answer(team, 10, days_ago=2)
    client.force_login(alice)
    response = client.get(URL + "?period=30")
    assert response.context["interval"] == "week"
    points = response.context["trend_points"]
    assert len(points) == 5 and points[-1][1].responses == 6
    assert b"<polygon" in response.content and b"<table" in response.content
    monthly = client.get(URL + "?period=365")
    assert monthly.context["interval"] == "month" and len(monthly.context["trend_points"]) == 13


def test_comments_are_newest_first_filterable_and_searchable(client, alice, team, frozen):
    answer(team, 2, days_ago=3, comment="The printer is still broken")
    answer(team, 10, days_ago=2, comment="Fixed my printer, great")
    answer(team, 8, days_ago=1, comment="Fine")
    answer(team, 9, days_ago=1)  # no comment: not listed
    client.force_login(alice)

    def comments(query=""):
        page = client.get(URL + query).context["comments"]
        return [response.comment for response in page.comments]

    assert comments() == ["Fine", "Fixed my printer, great", "The printer is still broken"]
    assert comments("?category=detractor") == ["The printer is still broken"]
    assert comments("?score=10") == ["Fixed my printer, great"]
    assert comments("?q=PRINTER") == ["Fixed my printer, great", "The printer is still broken"]


def test_comments_are_paginated(client, alice, team, frozen):
    for i in range(25):
        answer(team, 7, days_ago=1 + i / 100, comment=f"comment {i}")
    client.force_login(alice)
    first = client.get(URL).context["comments"]
    second = client.get(URL + "?page=2").context["comments"]
    assert len(first.comments) == 20 and first.has_next
    assert [r.comment for r in second.comments] == [f"comment {i}" for i in range(20, 25)]
    assert not second.has_next


def test_an_anonymous_team_does_not_show_who_commented(client, alice, team, frozen):
    response = answer(team, 3, comment="Slow", invitation__ticket__requester__name="Ann Smith")
    for _ in range(4):  # five people: a group an anonymous team's page may show
        answer(team, 9)
    client.force_login(alice)
    assert b"Ann Smith" in client.get(URL).content
    team.anonymous = True
    team.save()
    page = client.get(URL)
    assert b"Slow" in page.content and b"Ann Smith" not in page.content
    assert response.invitation.ticket.external_id.encode() not in page.content


def test_the_page_speaks_dutch(client, alice, team, frozen):
    client.force_login(alice)
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl")
    assert b"Opmerkingen, nieuwste eerst" in response.content
