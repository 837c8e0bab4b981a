"""Issue 14: unsigned refusals logged one row per call before integrations 0003 are folded into
one counted row per reason, so that the unique constraint can be added on a live database."""

import pytest

from .conftest import NOW
from .migrating import migrate, migrate_to_latest

BEFORE = [("integrations", "0002_delivery_refused_idx")]
AFTER = [("integrations", "0003_delivery_calls")]


@pytest.mark.django_db(transaction=True)
def test_unsigned_refusals_are_folded_per_reason():
    old = migrate(BEFORE)
    Connector = old.get_model("integrations", "Connector")
    Delivery = old.get_model("integrations", "Delivery")
    connector = Connector.objects.create(name="Jira", slug="jira", kind="jira")
    made = {"missing": [], "wrong": [], "signed": []}
    for n in range(7):
        kind = "missing" if n % 2 else "wrong"
        made[kind].append(
            Delivery.objects.create(
                connector=connector,
                outcome="refused",
                status_code=401,
                reason=f"signature: {kind}",
                received_at=NOW,
            ).pk
        )
    for n in range(2):  # refusals of signed calls stay one row each
        made["signed"].append(
            Delivery.objects.create(
                connector=connector,
                outcome="refused",
                status_code=400,
                reason="team: unknown",
                external_id=str(n),
                received_at=NOW,
            ).pk
        )
    try:
        new = migrate(AFTER)
        rows = new.get_model("integrations", "Delivery").objects.order_by("id")
        assert list(rows.values_list("id", "status_code", "calls")) == [
            (made["missing"][-1], 401, 3),
            (made["wrong"][-1], 401, 4),
            (made["signed"][0], 400, 1),
            (made["signed"][1], 400, 1),
        ]
    finally:
        migrate_to_latest()
