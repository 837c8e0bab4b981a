"""Upgrading a database from before the accounts app: preferences move with their rows (accounts
0001 takes followups' table over), and people who held the IT manager permission directly get
the IT manager role instead (accounts 0002)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Preference

BEFORE = [("followups", "0007_campaign_invitation_answered"), ("accounts", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    # ("accounts", None) means "not migrated at all": it has no state of its own.
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_preferences_and_it_managers_survive_the_move():
    try:
        _check_the_move()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _check_the_move():
    old = _migrate(BEFORE)
    User = old.get_model("auth", "User")
    Permission = old.get_model("auth", "Permission")
    lead = User.objects.create(username="lena", email="lena@example.org")
    manager = User.objects.create(username="max")
    manager.user_permissions.add(
        Permission.objects.get(content_type__app_label="surveys", codename="view_all_teams")
    )
    kept = old.get_model("followups", "Preference").objects.create(
        user=lead, language="nl", time_zone="Asia/Tokyo", digest_weekday=2, digest_hour=7
    )
    new = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    preference = new.get_model("accounts", "Preference").objects.get(user_id=lead.pk)
    assert preference.pk == kept.pk
    assert (preference.language, preference.time_zone) == ("nl", "Asia/Tokyo")
    assert (preference.digest_weekday, preference.digest_hour) == (2, 7)
    tables = connection.introspection.table_names()
    assert "accounts_preference" in tables and "followups_preference" not in tables
    # The check constraints came along with the table.
    assert "preference_hour_0_23" in {
        name
        for name, info in connection.introspection.get_constraints(
            connection.cursor(), "accounts_preference"
        ).items()
        if info["check"]
    }
    manager = new.get_model("auth", "User").objects.get(username="max")
    assert list(manager.groups.values_list("name", flat=True)) == ["it_manager"]
    assert not manager.user_permissions.exists()


@pytest.mark.django_db
def test_the_preferences_page_keeps_its_address(client, bob):
    client.force_login(bob)
    assert client.get("/me/preferences/").status_code == 200
    reply = client.post(
        "/me/preferences/",
        {"language": "nl", "time_zone": "Europe/Brussels", "digest_weekday": 4, "digest_hour": 9},
    )
    assert reply.status_code == 302
    assert Preference.objects.get(user=bob).time_zone == "Europe/Brussels"
