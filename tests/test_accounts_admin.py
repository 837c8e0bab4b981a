"""Roles in the admin: an administrator sets them on a person's page (recorded in the audit log),
and cannot use that page to raise anyone, themselves included, above administrator."""

import pytest

from accounts.roles import Role
from accounts.services import roles_of
from audit.models import AuditEvent

from .factories import TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin(django_user_model):
    return django_user_model.objects.create_user("erin", email="erin@example.org")


def change(client, user, **fields):
    data = {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-11-25",
        "date_joined_1": "10:00:00",
        **fields,
    }
    return client.post(f"/admin/auth/user/{user.pk}/change/", data)


def test_an_administrator_gives_roles_on_the_persons_page(client, carol, erin, team, frozen):
    client.force_login(carol)
    page = client.get(f"/admin/auth/user/{erin.pk}/change/").content.decode()
    assert 'name="roles"' in page and 'name="lead_teams"' in page
    assert 'name="groups"' not in page and 'name="user_permissions"' not in page
    assert 'name="is_superuser"' not in page and 'name="is_staff"' not in page
    reply = change(client, erin, roles=["it_manager"], lead_teams=[team.pk])
    assert reply.status_code == 302
    assert roles_of(erin) == {Role.IT_MANAGER, Role.TEAM_LEAD}
    event = AuditEvent.objects.filter(target=f"user {erin.pk}").get()
    assert event.actor == carol and event.details["granted"] == ["it_manager", "team_lead"]


def test_the_staff_flag_follows_the_roles(client, carol, erin, frozen):
    client.force_login(carol)
    assert (
        change(client, erin, roles=["auditor"], is_staff="on", is_superuser="on").status_code == 302
    )
    erin.refresh_from_db()
    assert erin.is_staff and not erin.is_superuser  # the checkboxes are not on the form
    assert change(client, erin, roles=[]).status_code == 302
    erin.refresh_from_db()
    assert not erin.is_staff


def test_nobody_changes_their_own_roles(client, carol, team, frozen):
    client.force_login(carol)
    assert change(client, carol, roles=["it_manager"], lead_teams=[team.pk]).status_code == 302
    assert roles_of(carol) == {Role.ADMINISTRATOR}


def test_superusers_are_out_of_an_administrators_reach(client, carol, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(carol)
    assert client.get(f"/admin/auth/user/{root.pk}/change/").status_code == 302  # "not found"
    assert client.get(f"/admin/auth/user/{root.pk}/password/").status_code == 404
    assert "root" not in client.get("/admin/auth/user/").content.decode()


def test_team_leads_are_not_edited_on_the_team(client, carol, team):
    TeamFactory(slug="network")
    client.force_login(carol)
    page = client.get(f"/admin/surveys/team/{team.pk}/change/").content.decode()
    assert 'name="leads"' not in page and "Users" in page


def test_the_auditor_reads_the_audit_log_and_nothing_else(client, audrey):
    client.force_login(audrey)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/surveys/team/").status_code == 403
