"""Upgrading a database from before digests were delivery's: the claim rows of followups'
DigestSent move with their table to delivery's Digest and become outbox rows, so that a digest
sent before the upgrade is not sent again after it, and the content type moves with them."""

from datetime import date

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from delivery.digests import digest_send

from .conftest import NOW
from .migrating import migrate, migrate_to_latest

BEFORE = [("followups", "0011_customer_rating_moved"), ("delivery", "0002_suppressed_address_hash")]
OLD_STATE = [*BEFORE, ("contenttypes", "0002_remove_content_type_name")]
UNTIL = date(2026, 11, 24)


@pytest.mark.django_db(transaction=True)
def test_digests_sent_before_the_upgrade_are_not_sent_again(frozen):
    try:
        _check_the_move()
    finally:
        migrate_to_latest()


def _check_the_move():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(OLD_STATE).apps
    User = old.get_model("auth", "User")
    bob = User.objects.create(username="bob", email="bob@example.org")
    dave = User.objects.create(username="dave", email="dave@example.org")
    DigestSent = old.get_model("followups", "DigestSent")
    sent = DigestSent.objects.create(
        user=bob, kind="lead", period_until=UNTIL, claimed_at=NOW, sent_at=NOW
    )
    empty = DigestSent.objects.create(user=dave, kind="agent", period_until=UNTIL, claimed_at=NOW)
    viewing = old.get_model("auth", "Permission").objects.get(
        content_type__app_label="followups", codename="view_digestsent"
    )
    bob.user_permissions.add(viewing)

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    Digest = new.get_model("delivery", "Digest")
    rows = Digest.objects.order_by("id").values_list("id", "status", "sent_at", "send_after")
    assert list(rows) == [(sent.pk, "sent", NOW, NOW), (empty.pk, "suppressed", None, NOW)]
    tables = connection.introspection.table_names()
    assert "delivery_digest" in tables and "followups_digestsent" not in tables
    moved = new.get_model("auth", "Permission").objects.get(pk=viewing.pk)
    assert (moved.content_type.app_label, moved.content_type.model) == ("delivery", "digest")
    assert moved.codename == "view_digest"
    # The claim still holds: neither the sent digest nor the empty one goes out again.
    assert not digest_send(user_id=bob.pk, kind="lead", period_until=UNTIL)
    assert not digest_send(user_id=dave.pk, kind="agent", period_until=UNTIL)
    assert mail.outbox == []
