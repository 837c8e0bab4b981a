"""A team's agents in the settings area (/settings/teams/<slug>/agents/…): administrators add
them, change their name, address and linked user account, and switch them off when they leave;
IT managers and leads read the list but change nothing; nobody deletes an agent."""

import json

import pytest

from audit.models import AuditEvent
from surveys.models import Agent, Invitation, Ticket
from surveys.services import response_submit

from .factories import AgentFactory, TeamFactory

pytestmark = pytest.mark.django_db

ADD = "/settings/teams/workplace/agents/new/"


def settings_events():
    return AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGED)


@pytest.fixture
def erin(django_user_model):
    return django_user_model.objects.create_user(
        "erin", email="erin.private@example.org", password="password"
    )


def test_an_agent_added_in_the_form_gets_the_next_closed_tickets_feedback(
    client, carol, team, erin, api_headers, frozen
):
    client.force_login(carol)
    assert client.get(ADD).status_code == 200
    response = client.post(
        ADD, {"name": "Erin Vos", "email": "Erin.Vos@example.org", "account": erin.pk}
    )
    assert response.status_code == 302 and response["Location"] == "/settings/teams/workplace/"
    agent = Agent.objects.get(email="erin.vos@example.org")
    assert (agent.team, agent.user, agent.active) == (team, erin, True)
    # The helpdesk closes Erin's next ticket; the requester answers.
    ticket = {
        "source": "jira",
        "external_id": "SD-7",
        "team": "workplace",
        "agent": {"email": "erin.vos@example.org"},
        "requester": {"email": "ann@example.org"},
        "closed_at": "2026-11-25T09:00:00Z",
    }
    closed = client.post(
        "/api/v1/tickets/closed", json.dumps(ticket), content_type="application/json", **api_headers
    )
    assert closed.status_code == 201, closed.content
    invitation = Ticket.objects.get(external_id="SD-7").invitation
    assert invitation.ticket.agent == agent
    invitation.status, invitation.sent_at = Invitation.Status.SENT, invitation.ticket.closed_at
    token = invitation.new_token(invitation.sent_at)
    invitation.save()
    response_submit(invitation=invitation, score=9, comment="Erin fixed it in minutes", token=token)
    client.force_login(erin)
    page = client.get("/me/feedback/")
    assert page.status_code == 200 and "Erin fixed it in minutes" in page.content.decode()
    # One settings line naming the section and fields, and the role given through accounts.
    event = settings_events().get()
    assert event.details["section"] == "agents"
    assert event.details["changed"] == ["email", "name", "user"]
    assert "erin" not in json.dumps(event.details).lower()
    role = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGED, target=f"user {erin.pk}")
    assert role.actor == carol and role.details["granted"] == ["agent"]


def test_changing_an_agent_moves_the_account_and_names_the_fields(client, carol, dave, team, erin):
    agent = Agent.objects.get(user=dave)
    client.force_login(carol)
    url = f"/settings/teams/workplace/agents/{agent.pk}/"
    assert "dave@example.org" in client.get(url).content.decode()
    response = client.post(
        url, {"name": "Dave de Boer", "email": "dave@example.org", "account": erin.pk}
    )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.name, agent.user) == ("Dave de Boer", erin)
    assert settings_events().get().details["changed"] == ["name", "user"]
    roles = AuditEvent.objects.filter(
        action=AuditEvent.Action.ROLE_CHANGED, target__in=[f"user {dave.pk}", f"user {erin.pk}"]
    ).order_by("id")
    assert [(e.target, e.details["granted"], e.details["revoked"]) for e in roles] == [
        (f"user {dave.pk}", [], ["agent"]),
        (f"user {erin.pk}", ["agent"], []),
    ]
    client.force_login(dave)
    assert client.get("/me/feedback/").status_code == 403  # no role left


def test_saving_an_unchanged_agent_writes_nothing(client, carol, dave, team):
    agent = Agent.objects.get(user=dave)
    client.force_login(carol)
    before = AuditEvent.objects.count()
    data = {"name": "Dave", "email": "dave@example.org", "account": dave.pk}
    assert client.post(f"/settings/teams/workplace/agents/{agent.pk}/", data).status_code == 302
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "dave@example.org"}, "An agent with this e-mail address exists already."),
        ({"email": "not an address"}, "Enter a valid email address."),
        ({"name": ""}, "This field is required."),
        ({"account": "dave"}, "Choose one of the active user accounts listed."),
    ],
)
def test_a_wrong_agent_form_says_why_and_writes_nothing(client, carol, dave, team, fields, message):
    client.force_login(carol)
    response = client.post(ADD, {"name": "Sanne", "email": "sanne@example.org"} | fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Agent.objects.count() == 1 and not settings_events().exists()


def test_an_account_that_is_another_agents_is_not_offered(client, carol, dave, team):
    client.force_login(carol)
    response = client.post(ADD, {"name": "Sanne", "email": "sanne@example.org", "account": dave.pk})
    assert response.status_code == 400
    assert "Choose one of the active user accounts listed." in response.content.decode()
    assert Agent.objects.get().user == dave


def test_agent_form_errors_in_dutch(client, carol, dave, team):
    client.force_login(carol)
    response = client.post(
        ADD, {"name": "Sanne", "email": "dave@example.org"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 400
    assert "Er bestaat al een behandelaar met dit e-mailadres." in response.content.decode()


def test_switching_an_agent_off_keeps_their_tickets_and_unlinks_the_account(
    client, carol, dave, team, frozen
):
    agent = Agent.objects.get(user=dave)
    client.force_login(carol)
    url = f"/settings/teams/workplace/agents/{agent.pk}/active/"
    assert client.post(url, {"active": "0"}).status_code == 302
    agent.refresh_from_db()
    assert (agent.active, agent.user) == (False, None)
    assert Agent.objects.filter(pk=agent.pk).exists()  # never deleted
    page = client.get("/settings/teams/workplace/").content.decode()
    assert "switched off" in page and "Switch on" in page
    assert settings_events().get().details["changed"] == ["active", "user"]
    client.force_login(dave)
    assert client.get("/me/feedback/").status_code == 403
    client.force_login(carol)
    client.post(url, {"active": "1"})
    agent.refresh_from_db()
    assert agent.active


@pytest.mark.parametrize("actor", ["alice", "bob"])
def test_manager_and_lead_change_no_agent(client, request, dave, team, actor):
    agent = Agent.objects.get(user=dave)
    client.force_login(request.getfixturevalue(actor))
    page = client.get("/settings/teams/workplace/").content.decode()
    assert "Add an agent" not in page and "Switch off" not in page
    assert client.get(ADD).status_code == 404
    assert client.post(ADD, {"name": "X", "email": "x@example.org"}).status_code == 404
    edit = f"/settings/teams/workplace/agents/{agent.pk}/"
    assert client.post(edit, {"name": "X", "email": "x@example.org"}).status_code == 404
    assert client.post(f"{edit}active/", {"active": "0"}).status_code == 404
    agent.refresh_from_db()
    assert (agent.name, agent.active, agent.user) == ("Dave", True, dave)
    assert Agent.objects.count() == 1


def test_another_teams_agent_is_a_404_under_this_team(client, carol, team):
    other = AgentFactory(team=TeamFactory(name="Network", slug="network"))
    client.force_login(carol)
    assert client.get(f"/settings/teams/workplace/agents/{other.pk}/").status_code == 404
    assert (
        client.post(
            f"/settings/teams/workplace/agents/{other.pk}/active/", {"active": "0"}
        ).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.active
