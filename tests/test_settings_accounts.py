"""User accounts in the settings area (/settings/accounts/): administrators invite a person with
their roles (a one-time link sets the password), change details and roles, deactivate and
reactivate (never delete). Nobody changes their own roles or deactivates themselves, nobody
removes the last administrator, and a superuser's account is a superuser's business."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import Preference
from accounts.roles import Role
from accounts.services import role_grant, roles_of
from audit.models import AuditEvent
from surveys.models import Agent

from .factories import TeamFactory

pytestmark = pytest.mark.django_db

LIST = "/settings/accounts/"
NEW = "/settings/accounts/new/"
PASSWORD = "Tulip-harbour-1987"
LAST = "Nobody may remove the last administrator"


def invite(client, **fields):
    data = {
        "username": "ivo",
        "email": "Ivo.Jansen@example.org",
        "first_name": "Ivo",
        "last_name": "Jansen",
        "language": "en",
    } | fields
    return client.post(NEW, data)


def shown_link(response) -> str:
    html = response.content.decode()
    found = re.search(r'id="set-password-link" type="text" readonly value="([^"]+)"', html)
    assert found, "no set-password link on the page"
    return re.sub(r"^https?://[^/]+", "", found[1])


def set_password_and_sign_in(link: str, username: str) -> Client:
    person = Client()
    form = person.get(link, follow=True)
    assert form.status_code == 200
    set_password = form.redirect_chain[-1][0]
    response = person.post(set_password, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:1000]
    signed = person.post("/accounts/login/", {"login": username, "password": PASSWORD})
    assert signed.status_code == 302, signed.content.decode()[:1000]
    return person


def account_events():
    return AuditEvent.objects.filter(action=AuditEvent.Action.ACCOUNT_CHANGED)


def test_an_invited_it_manager_sets_a_password_signs_in_and_sees_every_team(
    client, carol, team, frozen
):
    network = TeamFactory(name="Network", slug="network")
    client.force_login(carol)
    assert client.get(NEW).status_code == 200
    response = invite(client, roles=["it_manager"], language="nl")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    link = shown_link(response)
    ivo = Agent._meta.apps.get_model("auth", "User").objects.get(username="ivo")
    assert ivo.email == "ivo.jansen@example.org" and not ivo.has_usable_password()
    assert roles_of(ivo) == {Role.IT_MANAGER}
    assert Preference.objects.get(user=ivo).language == "nl"
    person = set_password_and_sign_in(link, "ivo")
    for slug in (team.slug, network.slug):
        assert person.get(f"/dashboard/teams/{slug}/").status_code == 200
    page = person.get("/dashboard/")
    assert 'lang="nl"' in page.content.decode()  # the language chosen for them
    assert person.get(LIST).status_code == 404  # not an administrator
    # The link worked once.
    assert "set-password" not in str(Client().get(link, follow=True).redirect_chain)
    # Audited without a value: the account line, the role line, the link line.
    changed = [event.details["changed"] for event in account_events().order_by("id")]
    assert changed == [
        ["email", "first_name", "language", "last_name", "username"],
        ["password_link"],
    ]
    assert "ivo" not in json.dumps([e.details for e in account_events()]).lower()
    role = AuditEvent.objects.get(action="role_changed", target=f"user {ivo.pk}")
    assert role.actor == carol and role.details["granted"] == ["it_manager"]


def test_an_invited_team_lead_sees_only_the_teams_they_lead(client, carol, team, frozen):
    TeamFactory(name="Network", slug="network")
    client.force_login(carol)
    response = invite(client, lead_teams=[team.pk])
    person = set_password_and_sign_in(shown_link(response), "ivo")
    assert person.get("/dashboard/teams/workplace/").status_code == 200
    assert person.get("/dashboard/teams/network/").status_code == 404
    assert person.get("/settings/teams/workplace/delivery/").status_code == 200


def test_an_invited_agent_reads_their_own_feedback(client, carol, team, frozen):
    client.force_login(carol)
    response = invite(client, agent_team=team.pk)
    agent = Agent.objects.get(email="ivo.jansen@example.org")
    assert agent.team == team and agent.user.username == "ivo"
    person = set_password_and_sign_in(shown_link(response), "ivo")
    assert person.get("/me/feedback/").status_code == 200
    assert person.get("/dashboard/teams/workplace/").status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "alice"}, "An account with this username already exists."),
        ({"email": "ALICE@example.org"}, "Another account has this e-mail address."),
        ({"email": ""}, "This field is required."),
        ({"email": "nope"}, "Enter a valid email address."),
        ({"roles": ["superhero"]}, "Select a valid choice."),
        ({"language": "de"}, "Select a valid choice."),
        ({"email": "sanne@example.org", "agent_team": "network"}, "works in team Network"),
    ],
)
def test_a_wrong_invitation_says_why_and_makes_nothing(client, carol, alice, team, fields, message):
    network = TeamFactory(name="Network", slug="network")
    Agent.objects.create(team=network, email="sanne@example.org", name="Sanne")
    alice.email = "alice@example.org"
    alice.save()
    if fields.get("agent_team") == "network":
        fields["agent_team"] = team.pk  # Sanne works in Network, not Workplace
    client.force_login(carol)
    users = type(carol).objects.count()
    response = invite(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="set-password-link"' not in response.content.decode()
    assert type(carol).objects.count() == users and not account_events().exists()


def test_invitation_errors_in_dutch(client, carol, alice):
    client.force_login(carol)
    response = client.post(NEW, {"username": "alice", "language": "nl"}, HTTP_ACCEPT_LANGUAGE="nl")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Er bestaat al een account met deze gebruikersnaam." in html


def test_changing_roles_and_details(client, carol, alice, team, frozen):
    client.force_login(carol)
    url = f"{LIST}{alice.pk}/"
    assert client.get(url).status_code == 200
    data = {"email": "alice@example.org", "first_name": "Alice", "last_name": "", "language": "en"}
    response = client.post(url, data | {"roles": ["auditor"], "lead_teams": [team.pk]})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert roles_of(alice) == {Role.AUDITOR, Role.TEAM_LEAD}
    assert account_events().get().details["changed"] == ["email", "first_name"]
    role = AuditEvent.objects.filter(action="role_changed", target=f"user {alice.pk}").last()
    assert role.actor == carol and role.details["revoked"] == ["it_manager"]


def test_nobody_changes_their_own_roles(client, carol):
    client.force_login(carol)
    url = f"{LIST}{carol.pk}/"
    page = client.get(url).content.decode()
    assert "Your own roles are changed by someone else." in page and "Deactivate" not in page
    client.post(url, {"email": "carol@example.org", "language": "en", "roles": ["it_manager"]})
    assert roles_of(type(carol).objects.get(pk=carol.pk)) == {Role.ADMINISTRATOR}
    assert client.post(f"{url}active/", {"active": "0"}).status_code == 400
    carol.refresh_from_db()
    assert carol.is_active


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", password="password")


def test_nobody_removes_the_last_administrator(client, root, carol, frozen):
    client.force_login(root)
    url = f"{LIST}{carol.pk}/"
    response = client.post(url, {"email": "carol@example.org", "language": "en", "roles": []})
    assert response.status_code == 400 and LAST in response.content.decode()
    response = client.post(f"{url}active/", {"active": "0"})
    assert response.status_code == 400 and LAST in response.content.decode()
    carol = type(carol).objects.get(pk=carol.pk)
    assert carol.is_active and roles_of(carol) == {Role.ADMINISTRATOR}
    assert not account_events().exists()
    # With a second administrator, either may go.
    dora = type(carol).objects.create_user("dora")
    role_grant(user=dora, role=Role.ADMINISTRATOR)
    assert client.post(f"{url}active/", {"active": "0"}).status_code == 302
    carol.refresh_from_db()
    assert not carol.is_active
    response = client.post(
        f"{LIST}{dora.pk}/", {"email": "dora@example.org", "language": "en", "roles": []}
    )
    assert response.status_code == 400 and LAST in response.content.decode()


def test_a_deactivated_account_is_signed_out_and_cannot_sign_in(client, carol, alice, frozen):
    signed_in = Client()
    signed_in.force_login(alice)
    assert signed_in.get("/dashboard/").status_code == 200
    client.force_login(carol)
    assert client.post(f"{LIST}{alice.pk}/active/", {"active": "0"}).status_code == 302
    assert signed_in.get("/dashboard/").status_code == 302  # to the sign-in page
    refused = Client().post("/accounts/login/", {"login": "alice", "password": "password"})
    assert refused.status_code != 302
    assert type(alice).objects.filter(pk=alice.pk).exists()  # never deleted
    assert "deactivated" in client.get(LIST).content.decode()
    client.post(f"{LIST}{alice.pk}/active/", {"active": "1"})
    assert (
        Client().post("/accounts/login/", {"login": "alice", "password": "password"}).status_code
        == 302
    )
    assert [e.details["changed"] for e in account_events()] == [["is_active"], ["is_active"]]


def test_a_new_set_password_link(client, carol, alice, frozen):
    client.force_login(carol)
    response = client.post(f"{LIST}{alice.pk}/link/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "It is shown only this once, works once" in response.content.decode()
    set_password_and_sign_in(shown_link(response), "alice")


def test_a_superusers_account_is_out_of_an_administrators_reach(client, carol, root):
    client.force_login(carol)
    assert "root" not in client.get(LIST).content.decode()
    assert client.get(f"{LIST}{root.pk}/").status_code == 404
    assert client.post(f"{LIST}{root.pk}/active/", {"active": "0"}).status_code == 404
    root.refresh_from_db()
    assert root.is_active


@pytest.mark.parametrize("actor", ["alice", "bob", "dave", "audrey"])
def test_other_roles_reach_no_account(client, request, carol, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(LIST).status_code == 404
    assert client.get(NEW).status_code == 404
    assert invite(client, roles=["administrator"]).status_code == 404
    assert client.get(f"{LIST}{carol.pk}/").status_code == 404
    assert client.post(f"{LIST}{carol.pk}/active/", {"active": "0"}).status_code == 404
    assert client.post(f"{LIST}{carol.pk}/link/").status_code == 404
    carol.refresh_from_db()
    assert carol.is_active and not type(carol).objects.filter(username="ivo").exists()
    assert not Group.objects.get(name="administrator").user_set.exclude(pk=carol.pk).exists()


def test_with_single_sign_on_only_accounts_come_from_the_identity_provider(client, carol, settings):
    settings.ITPULSE_LOCAL_LOGIN = False
    client.force_login(carol)
    page = client.get(LIST).content.decode()
    assert "single sign-on only" in page and NEW not in page
    assert client.get(NEW).status_code == 404
