"""The team set-up's list, creating a team, and a team's members and leads (/settings/teams/).

Administrators create teams and appoint leads for any team; IT managers and leads read a team's
members but change no membership; a lead reaches only the teams they lead (another is a 404)."""

import pytest

from audit.models import AuditEvent
from surveys.models import Team

from .factories import AgentFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    return TeamFactory(name="Network", slug="network")


def test_administrator_creates_a_team(client, carol):
    client.force_login(carol)
    assert client.get("/settings/teams/new/").status_code == 200
    response = client.post("/settings/teams/new/", {"name": "Service Desk", "slug": ""})
    assert response.status_code == 302
    team = Team.objects.get(name="Service Desk")
    assert team.slug == "service-desk"
    assert response["Location"] == "/settings/teams/service-desk/"
    event = AuditEvent.objects.get(action=AuditEvent.Action.SETTINGS_CHANGED)
    assert event.actor == carol and event.target == f"team {team.pk}"


def test_a_duplicate_team_is_refused_with_a_message(client, carol, team):
    client.force_login(carol)
    response = client.post("/settings/teams/new/", {"name": "Workplace", "slug": "other"})
    assert response.status_code == 400
    assert "A team with this name already exists." in response.content.decode()
    response = client.post("/settings/teams/new/", {"name": "Other", "slug": "workplace"})
    assert "A team with this short name already exists." in response.content.decode()
    assert Team.objects.count() == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGED).exists()


def test_team_form_errors_in_dutch(client, carol, team):
    client.force_login(carol)
    response = client.post(
        "/settings/teams/new/", {"name": "Workplace", "slug": "new"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    html = response.content.decode()
    assert "Er bestaat al een team met deze naam." in html
    assert "Deze korte naam is gereserveerd" in html


@pytest.mark.parametrize("actor", ["alice", "bob"])
def test_manager_and_lead_create_no_team(client, request, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get("/settings/teams/new/").status_code == 404
    assert client.post("/settings/teams/new/", {"name": "Rogue"}).status_code == 404
    assert not Team.objects.filter(name="Rogue").exists()


def test_team_page_lists_agents_and_leads(client, carol, bob, dave, team):
    AgentFactory(team=team, name="Sanne", email="sanne@example.org")
    client.force_login(carol)
    html = client.get("/settings/teams/workplace/").content.decode()
    assert "Sanne" in html and "sanne@example.org" in html
    assert "dave" in html  # Dave's linked user account
    assert "bob" in html  # the lead
    assert "Make team lead" in html


def test_lead_reads_members_but_cannot_change_them(client, bob, team, network, django_user_model):
    client.force_login(bob)
    html = client.get("/settings/teams/workplace/").content.decode()
    assert "Make team lead" not in html and "Remove as lead" not in html
    erin = django_user_model.objects.create_user("erin")
    assert client.post("/settings/teams/workplace/leads/", {"user": erin.pk}).status_code == 404
    assert not team.leads.filter(pk=erin.pk).exists()
    # Another team's page is out of reach altogether.
    assert client.get("/settings/teams/network/").status_code == 404


def test_a_lead_made_in_the_form_sees_the_team(client, carol, team, django_user_model):
    erin = django_user_model.objects.create_user("erin", first_name="Erin", last_name="Vos")
    client.force_login(carol)
    response = client.post("/settings/teams/workplace/leads/", {"user": erin.pk})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.ROLE_CHANGED, target=f"user {erin.pk}")
    assert event.actor == carol and event.details["granted"] == ["team_lead"]
    client.force_login(erin)
    assert client.get("/dashboard/teams/workplace/").status_code == 200
    assert client.get("/settings/teams/workplace/delivery/").status_code == 200


def test_removing_a_lead_takes_the_team_away(client, carol, bob, team, frozen):
    client.force_login(carol)
    response = client.post(f"/settings/teams/workplace/leads/{bob.pk}/remove/")
    assert response.status_code == 302
    assert not team.leads.filter(pk=bob.pk).exists()
    assert AuditEvent.objects.get(target=f"user {bob.pk}", details__revoked=["team_lead"])
    client.force_login(bob)
    assert client.get("/dashboard/teams/workplace/").status_code == 403  # no role left


def test_no_lead_chosen_says_so(client, carol, team):
    client.force_login(carol)
    response = client.post("/settings/teams/workplace/leads/", {}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "Kies het gebruikersaccount dat teamleider wordt." in response.content.decode()


def test_removing_someone_who_is_not_a_lead_is_a_404(client, carol, alice, team):
    client.force_login(carol)
    assert client.post(f"/settings/teams/workplace/leads/{alice.pk}/remove/").status_code == 404


def test_forms_carry_the_csrf_token(client, carol, team):
    client.force_login(carol)
    for url in ("/settings/teams/new/", "/settings/teams/workplace/"):
        assert 'name="csrfmiddlewaretoken"' in client.get(url).content.decode()
