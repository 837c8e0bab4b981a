"""Issue 13, point 2: an anonymous team's results count people, not ratings. One requester who
answered five times is one person: below ITPULSE_MIN_GROUP (5) nothing of the group is shown,
on the team page, the overview, its agents, comments, export, trend and score APIs."""

import io
from datetime import timedelta

import pytest

from surveys.models import Invitation
from surveys.services import response_submit

from .conftest import NOW
from .factories import AgentFactory, InvitationFactory, RequesterFactory

pytestmark = pytest.mark.django_db

TEAM_PAGE = "/dashboard/teams/workplace/"


def _answer(team, requester, agent, score, comment=""):
    invitation = InvitationFactory(
        status=Invitation.Status.SENT,
        sent_at=NOW - timedelta(days=3),
        ticket__team=team,
        ticket__agent=agent,
        ticket__requester=requester,
    )
    token = invitation.new_token(NOW)
    invitation.save()
    response_submit(invitation=invitation, score=score, comment=comment, token=token, now=NOW)


@pytest.fixture
def answered_by(team, frozen):
    """`answered_by(n)`: five answers (scores 0, 9, 10, 10, 10) from n distinct people."""

    def make(people: int, *, anonymous: bool = True):
        team.anonymous = anonymous
        team.save()
        agent = AgentFactory(team=team, name="Sam")
        persons = [RequesterFactory() for _ in range(people)]
        for i, score in enumerate([0, 9, 10, 10, 10]):
            _answer(team, persons[i % people], agent, score, comment=f"comment {i}")
        return agent

    return make


def test_one_person_five_times_is_not_a_group(client, alice, answered_by, api_headers):
    answered_by(1)
    client.force_login(alice)
    page = client.get(TEAM_PAGE)
    assert page.context["score"].withheld and page.context["agents"] == []
    assert page.context["hidden_agents"] == 1
    html = page.content.decode()
    assert "comment 0" not in html and "data-withheld" in html and "data-anonymous" in html
    overview = client.get("/dashboard/").context["rows"][0]
    assert overview.periods[0].score.withheld and overview.periods[0].score.nps is None
    assert overview.trend[-1][1].withheld
    export = b"".join(client.get(f"{TEAM_PAGE}export.csv").streaming_content).decode("utf-8-sig")
    assert export.count("\n") == 1  # the header only
    nps = client.get("/api/v1/teams/workplace/nps", **api_headers).json()
    assert nps["withheld"] is True and nps["nps"] is None and nps["promoters"] is None
    trend = client.get("/api/v1/teams/workplace/trend?interval=month", **api_headers).json()
    assert all(point["nps"] is None for point in trend)
    assert trend[-1]["withheld"] is True


def test_five_people_are_a_group(client, alice, answered_by, api_headers):
    agent = answered_by(5)
    client.force_login(alice)
    page = client.get(TEAM_PAGE)
    assert page.context["score"].nps == 60 and not page.context["score"].withheld
    assert [row.agent for row in page.context["agents"]] == [agent]
    assert "comment 0" in page.content.decode()
    nps = client.get("/api/v1/teams/workplace/nps", **api_headers).json()
    assert (nps["nps"], nps["responses"], nps["withheld"]) == (60, 5, False)


def test_a_named_team_is_not_held_to_the_people_rule(client, alice, answered_by):
    answered_by(1, anonymous=False)
    client.force_login(alice)
    page = client.get(TEAM_PAGE)
    assert page.context["score"].nps == 60
    assert "comment 0" in page.content.decode()


def test_an_erased_person_still_counts_as_one(client, alice, answered_by):
    """Erasure unlinks the person's invitations; they still count as one person, not five."""
    from django.core.management import call_command

    from surveys.models import Requester

    answered_by(1)
    [person] = Requester.objects.all()
    call_command("erase_person", person.email, stdout=io.StringIO())
    assert not Invitation.objects.filter(requester__isnull=False).exists()
    client.force_login(alice)
    assert client.get(TEAM_PAGE).context["score"].withheld


def test_one_answer_on_a_day_when_five_were_surveyed_is_not_a_group(
    client, alice, team, frozen, api_headers
):
    """People are counted by the day their surveys were sent; the answers of a day can stand
    on fewer. Five surveyed on Saturday, one answered that day and four today: a custom range
    of Saturday alone holds one person's answer, and shows nothing of it."""
    team.anonymous = True
    team.save()
    agent = AgentFactory(team=team)
    saturday = NOW - timedelta(days=4)
    for i in range(5):
        invitation = InvitationFactory(
            status=Invitation.Status.SENT, sent_at=saturday, ticket__team=team, ticket__agent=agent
        )
        token = invitation.new_token(saturday)
        invitation.save()
        when, score = (saturday + timedelta(hours=1), 0) if i == 0 else (NOW, 10)
        comment = "the only one that day" if i == 0 else ""
        response_submit(invitation=invitation, score=score, comment=comment, token=token, now=when)
    day = saturday.date().isoformat()
    client.force_login(alice)
    page = client.get(f"{TEAM_PAGE}?period=custom&since={day}&until={day}")
    assert page.context["score"].withheld and page.context["score"].nps is None
    assert "the only one that day" not in page.content.decode()
    nps = client.get(f"/api/v1/teams/workplace/nps?since={day}&until={day}", **api_headers).json()
    assert nps["withheld"] is True and nps["detractors"] is None
    # The whole week has five answers from five people: shown.
    week = client.get(f"{TEAM_PAGE}?period=custom&since={day}&until={NOW.date().isoformat()}")
    assert week.context["score"].nps == 60


def test_answers_given_while_anonymous_stay_held_to_the_group_after_switching(
    client, alice, answered_by, team, api_headers
):
    """A team made named again: its earlier answers stay unlinked, and the people who gave them
    were promised that a group of one is never shown. So a period holding such answers is held
    to the rule, although the team is named now."""
    agent = answered_by(1)
    team.anonymous = False
    team.save()
    client.force_login(alice)
    page = client.get(TEAM_PAGE)
    assert page.context["score"].withheld and "comment 0" not in page.content.decode()
    assert page.context["agents"] == []
    nps = client.get("/api/v1/teams/workplace/nps", **api_headers).json()
    assert nps["withheld"] is True
    overview = client.get("/dashboard/").context["rows"][0]
    assert overview.periods[0].score.withheld
    export = b"".join(client.get(f"{TEAM_PAGE}export.csv").streaming_content).decode("utf-8-sig")
    assert "comment 0" not in export
    assert b"comment 0" not in client.get(f"/agents/{agent.pk}/feedback/").content
    # Named answers of five people afterwards make the period a group again.
    for _ in range(5):
        _answer(team, RequesterFactory(), agent, 9)
    assert not client.get(TEAM_PAGE).context["score"].withheld


def test_comments_and_export_do_not_name_an_agent_of_too_few_people(client, alice, team):
    """Five people answered the team, four of them about Sam and one about Kim. Kim's score is
    not in the agents table; nor may the comments or the export put Kim's name beside that one
    person's answer (Kim knows whom Kim helped)."""
    team.anonymous = True
    team.save()
    sam, kim = AgentFactory(team=team, name="Sam"), AgentFactory(team=team, name="Kim")
    for i in range(4):
        _answer(team, RequesterFactory(), sam, 9, comment=f"fine {i}")
    _answer(team, RequesterFactory(), kim, 2, comment="Kim was rude")
    client.force_login(alice)
    page = client.get(TEAM_PAGE)
    assert [row.agent for row in page.context["agents"]] == []  # Sam: four people
    html = page.content.decode()
    assert "Kim was rude" in html and "Kim" not in html.replace("Kim was rude", "")
    export = b"".join(client.get(f"{TEAM_PAGE}export.csv").streaming_content).decode("utf-8-sig")
    [row] = [line for line in export.splitlines() if "Kim was rude" in line]
    assert "Kim" not in row.replace("Kim was rude", "")
