"""Upgrading a database from before the ratings app: IT's ratings of customers move with their
rows (ratings 0001 takes followups' table over, followups 0010 drops the old state), and the
content type moves with them, so that a permission already granted still reads as granted."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ratings.models import CustomerRating

from .conftest import NOW
from .migrating import migrate, migrate_to_latest

BEFORE = [("followups", "0009_preference_moved"), ("ratings", None)]
# The state to read the old shape in: ("ratings", None) has none of its own.
OLD_STATE = [
    ("followups", "0009_preference_moved"),
    ("contenttypes", "0002_remove_content_type_name"),
]


@pytest.mark.django_db(transaction=True)
def test_ratings_and_their_permissions_survive_the_move():
    try:
        _check_the_move()
    finally:
        migrate_to_latest()


def _check_the_move():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(OLD_STATE).apps
    assert "followups_customerrating" in connection.introspection.table_names()
    team = old.get_model("surveys", "Team").objects.create(name="Workplace", slug="workplace")
    requester = old.get_model("surveys", "Requester").objects.create(email="ann@example.org")
    ticket = old.get_model("surveys", "Ticket").objects.create(
        source="jira", external_id="SD-1", team=team, requester=requester, closed_at=NOW
    )
    kept = old.get_model("followups", "CustomerRating").objects.create(
        ticket=ticket, team=team, score=3, department="Finance", created_at=NOW
    )
    Permission = old.get_model("auth", "Permission")
    viewing = Permission.objects.get(
        content_type__app_label="followups", codename="view_customerrating"
    )
    reader = old.get_model("auth", "User").objects.create(username="rita")
    reader.user_permissions.add(viewing)
    group = old.get_model("auth", "Group").objects.create(name="works council")
    group.permissions.add(viewing)

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    rating = new.get_model("ratings", "CustomerRating").objects.get()
    assert rating.pk == kept.pk
    assert (rating.ticket_id, rating.score, rating.department) == (ticket.pk, 3, "Finance")
    tables = connection.introspection.table_names()
    assert "ratings_customerrating" in tables and "followups_customerrating" not in tables
    # The check constraint came along with the table.
    assert "customer_rating_0_10" in connection.introspection.get_constraints(
        connection.cursor(), "ratings_customerrating"
    )
    # The same permission rows, now under the new label; nothing left under the old one.
    moved = new.get_model("auth", "Permission").objects.get(pk=viewing.pk)
    assert moved.content_type.app_label == "ratings"
    assert (
        not new.get_model("auth", "Permission")
        .objects.filter(content_type__app_label="followups", codename__endswith="_customerrating")
        .exists()
    )
    user = get_user_model().objects.get(username="rita")
    assert user.has_perm("ratings.view_customerrating")
    assert list(
        new.get_model("auth", "Group")
        .objects.get(name="works council")
        .permissions.values_list("codename", flat=True)
    ) == ["view_customerrating"]


@pytest.mark.django_db
def test_the_model_answers_under_its_new_app():
    assert CustomerRating._meta.app_label == "ratings"
    assert CustomerRating._meta.db_table == "ratings_customerrating"
