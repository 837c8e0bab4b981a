"""Giving and taking roles (accounts.services): what each call changes, what it refuses, and the
audit trail it leaves. The single sign-on will call roles_set at every sign-in."""

import pytest
from django.contrib.auth.models import Group

from accounts.access import has_role, is_it_manager, may_read_audit, may_see_delivery
from accounts.roles import ROLE_PERMISSIONS, Role
from accounts.services import role_grant, role_revoke, roles_of, roles_set
from audit.models import AuditEvent
from surveys.models import Agent

from .factories import AgentFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(django_user_model):
    return django_user_model.objects.create_user("erin", email="erin@example.org")


def events(user=None):
    found = AuditEvent.objects.filter(action="role_changed").order_by("id")
    return list(found.filter(target=f"user {user.pk}") if user else found)


def test_each_global_roles_group_holds_exactly_its_permissions():
    for role, expected in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(expected), role


def test_granting_a_global_role_gives_its_permissions_and_an_audit_event(erin, carol):
    assert role_grant(user=erin, role=Role.IT_MANAGER, actor=carol)
    assert roles_of(erin) == {Role.IT_MANAGER}
    assert is_it_manager(erin) and not may_see_delivery(erin) and not erin.is_staff
    [event] = events(erin)
    assert (event.actor, event.actor_label, event.target) == (carol, "carol", f"user {erin.pk}")
    assert event.details == {"user": erin.pk, "granted": ["it_manager"], "revoked": []}
    # Held already: nothing changes, nothing is recorded.
    assert not role_grant(user=erin, role=Role.IT_MANAGER, actor=carol)
    assert len(events(erin)) == 1


def test_administrators_and_auditors_get_admin_entry_and_lose_it_with_the_role(erin):
    role_grant(user=erin, role=Role.AUDITOR)
    erin.refresh_from_db()
    assert erin.is_staff and may_read_audit(erin) and not may_see_delivery(erin)
    role_grant(user=erin, role=Role.ADMINISTRATOR)
    role_revoke(user=erin, role=Role.AUDITOR)
    erin.refresh_from_db()
    assert erin.is_staff and may_see_delivery(erin)  # still an administrator
    role_revoke(user=erin, role=Role.ADMINISTRATOR)
    erin.refresh_from_db()
    assert not erin.is_staff and not may_see_delivery(erin) and roles_of(erin) == set()
    assert [e.actor_label for e in events()] == ["", "", "", ""]  # no actor: a command


def test_a_team_lead_is_scoped_to_the_team(erin, team):
    network = TeamFactory(slug="network")
    role_grant(user=erin, role=Role.TEAM_LEAD, team=team)
    role_grant(user=erin, role=Role.TEAM_LEAD, team=network)
    assert roles_of(erin) == {Role.TEAM_LEAD} and set(erin.led_teams.all()) == {team, network}
    assert events()[0].details["team"] == "workplace"
    assert role_revoke(user=erin, role=Role.TEAM_LEAD, team=team)
    assert list(erin.led_teams.all()) == [network]
    assert role_revoke(user=erin, role=Role.TEAM_LEAD)  # no team: from every team
    assert roles_of(erin) == set() and not has_role(erin)


def test_an_agent_is_linked_to_the_agent_with_their_address(erin, team):
    agent = AgentFactory(team=team, email="Erin@Example.org")
    assert role_grant(user=erin, role=Role.AGENT, team=team)
    agent.refresh_from_db()
    assert agent.user == erin and roles_of(erin) == {Role.AGENT}
    assert role_revoke(user=erin, role=Role.AGENT)
    agent.refresh_from_db()
    assert agent.user is None  # the agent and their tickets stay; only the account goes


def test_an_agent_a_team_has_not_met_yet_is_made(erin, team):
    role_grant(user=erin, role=Role.AGENT, team=team)
    agent = Agent.objects.get(user=erin)
    assert (agent.team, agent.email, agent.name) == (team, "erin@example.org", "erin")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda u, t: role_grant(user=u, role=Role.TEAM_LEAD), "needs a team"),
        (lambda u, t: role_grant(user=u, role=Role.AGENT), "needs a team"),
        (lambda u, t: role_grant(user=u, role=Role.IT_MANAGER, team=t), "give no team"),
        (lambda u, t: role_grant(user=u, role="superhero"), "superhero"),
        (lambda u, t: roles_set(user=u, roles={Role.AGENT}, lead_teams=[]), "role_grant"),
        (lambda u, t: roles_set(user=u, roles={Role.TEAM_LEAD}, lead_teams=[]), "lead_teams"),
    ],
)
def test_a_wrong_call_is_refused_with_a_reason(erin, team, call, message):
    with pytest.raises(ValueError, match=message):
        call(erin, team)
    assert roles_of(erin) == set() and events() == []


def test_an_agent_works_in_one_team(erin, team, django_user_model):
    network = TeamFactory(slug="network")
    role_grant(user=erin, role=Role.AGENT, team=team)
    with pytest.raises(ValueError, match="revoke that role first"):
        role_grant(user=erin, role=Role.AGENT, team=network)
    other = django_user_model.objects.create_user("fred", email="erin@example.org")
    with pytest.raises(ValueError, match="another user account"):
        role_grant(user=other, role=Role.AGENT, team=team)
    nameless = django_user_model.objects.create_user("gus")
    with pytest.raises(ValueError, match="e-mail address"):
        role_grant(user=nameless, role=Role.AGENT, team=team)


def test_roles_set_replaces_global_roles_and_led_teams_in_one_go(erin, team, carol):
    network = TeamFactory(slug="network")
    role_grant(user=erin, role=Role.AUDITOR)
    role_grant(user=erin, role=Role.TEAM_LEAD, team=team)
    role_grant(user=erin, role=Role.AGENT, team=team)
    before = len(events(erin))
    changed = roles_set(
        user=erin, roles={Role.IT_MANAGER, Role.TEAM_LEAD}, lead_teams=[network], actor=carol
    )
    assert changed
    erin.refresh_from_db()
    assert roles_of(erin) == {Role.IT_MANAGER, Role.TEAM_LEAD, Role.AGENT}  # agent link kept
    assert list(erin.led_teams.all()) == [network]
    assert not erin.is_staff  # no longer an auditor: no admin entry
    [event] = events(erin)[before:]
    assert event.actor == carol
    assert event.details == {
        "user": erin.pk,
        "granted": ["it_manager"],
        "revoked": ["auditor"],
        "lead_teams_added": ["network"],
        "lead_teams_removed": ["workplace"],
        "admin_entry": False,
    }
    # The sign-on calls it at every sign-in: the same answer changes and records nothing.
    assert not roles_set(user=erin, roles=["it_manager"], lead_teams=[network])
    assert len(events(erin)) == before + 1


def test_roles_set_with_nothing_takes_every_role_but_the_agent_link(erin, team):
    role_grant(user=erin, role=Role.ADMINISTRATOR)
    role_grant(user=erin, role=Role.TEAM_LEAD, team=team)
    roles_set(user=erin, roles=set(), lead_teams=[])
    erin.refresh_from_db()
    assert roles_of(erin) == set() and not erin.is_staff and not may_see_delivery(erin)
    assert events()[-1].details["revoked"] == ["administrator", "team_lead"]


def test_roles_set_takes_the_admin_entry_of_a_staff_flag_without_a_role(django_user_model):
    stan = django_user_model.objects.create_user("stan", is_staff=True)
    assert roles_set(user=stan, roles=set(), lead_teams=[])
    stan.refresh_from_db()
    assert not stan.is_staff and events()[-1].details["admin_entry"] is False


def test_a_deleted_group_is_made_again_with_the_roles_permissions(erin):
    Group.objects.filter(name="auditor").delete()
    role_grant(user=erin, role=Role.AUDITOR)
    assert may_read_audit(erin)


def test_a_superuser_has_every_reach_without_a_role(django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    assert roles_of(root) == set() and has_role(root)
    assert is_it_manager(root) and may_see_delivery(root) and may_read_audit(root)
