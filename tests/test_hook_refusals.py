"""Issue 14: calls to /api/v1/hooks/<slug> that prove nothing (no valid signature, no such
connector) are rate-limited per client address before anything is logged, and are counted in
one row per reason, so that they can never push the tool's real deliveries out of the log."""

import json
from datetime import timedelta

import pytest

from integrations.models import Delivery
from surveys.models import Ticket
from tests.conftest import NOW
from tests.hooks import connector_for, payload, signed_headers

pytestmark = pytest.mark.django_db

FORGED = {"X-ITPULSE-Signature": "t=1,v1=forged"}
MISSING: dict = {}


def post(client, slug: str, data: dict, headers: dict, address: str = "192.0.2.10"):
    return client.post(
        f"/api/v1/hooks/{slug}",
        json.dumps(data),
        content_type="application/json",
        headers=headers,
        REMOTE_ADDR=address,
    )


def signed(connector, data: dict) -> dict:
    return signed_headers(connector, json.dumps(data).encode(), int(NOW.timestamp()))


def unmapped(n: int = 0) -> dict:
    data = payload("generic") | {"external_id": f"unmapped-{n}"}
    data["team"] = "facilities"  # no such team: the tool's own call, refused with 400
    return data


def test_unsigned_calls_are_counted_per_reason_and_push_out_no_real_entry(
    client, team, frozen, monkeypatch
):
    monkeypatch.setattr("integrations.hooks.REFUSED_KEPT", 3)
    connector = connector_for("generic", team)
    good = payload("generic")
    assert post(client, "generic", good, signed(connector, good)).status_code == 201
    # 40 forged calls, from 40 addresses (so no rate limit applies), of two kinds.
    for n in range(40):
        headers = FORGED if n % 2 else MISSING
        response = post(client, "generic", good, headers, address=f"198.51.100.{n}")
        assert response.status_code == 401
    for n in range(3):
        data = unmapped(n)
        assert post(client, "generic", data, signed(connector, data)).status_code == 400
    rows = Delivery.objects.filter(connector=connector)
    assert rows.filter(outcome="accepted").count() == 1
    assert rows.filter(status_code=400).count() == 3  # the tool's own refusals all kept
    unsigned = {d.reason: d.calls for d in rows.filter(status_code=401)}
    assert unsigned == {
        "signature: The signature does not match.": 20,
        "signature: The X-ITPulse-Signature header is missing.": 20,
    }
    assert rows.filter(status_code=401).get(calls=20, reason__contains="missing").received_at == NOW


def test_signed_refusals_keep_only_the_latest(client, team, frozen, monkeypatch):
    # A tool gone wrong must not grow the log without end either.
    monkeypatch.setattr("integrations.hooks.REFUSED_KEPT", 3)
    connector = connector_for("generic", team)
    logged = []
    for n in range(6):
        data = unmapped(n)
        assert post(client, "generic", data, signed(connector, data)).status_code == 400
        logged.append(Delivery.objects.latest("id").id)
    kept = Delivery.objects.filter(outcome="refused").values_list("id", flat=True)
    assert sorted(kept) == logged[-3:]


def test_the_latest_time_of_an_unsigned_reason_is_shown_on_top(client, carol, team, frozen):
    connector = connector_for("generic", team)
    post(client, "generic", payload("generic"), MISSING)
    frozen.shift(timedelta(minutes=5))
    good = payload("generic")
    post(client, "generic", good, signed(connector, good))
    frozen.shift(timedelta(minutes=5))
    post(client, "generic", payload("generic"), MISSING, address="198.51.100.7")
    latest = Delivery.objects.first()  # ordered newest first, as on the connector page
    assert (latest.status_code, latest.calls) == (401, 2)
    assert latest.received_at == NOW + timedelta(minutes=10)
    client.force_login(carol)
    page = client.get("/settings/connectors/generic/").content.decode()
    assert "×2" in page


class TestRateLimit:
    @pytest.fixture(autouse=True)
    def rate(self, settings):
        settings.ITPULSE_HOOK_RATE = "3/minute"

    def test_an_address_over_the_rate_gets_429_and_nothing_is_logged(self, client, team, frozen):
        connector = connector_for("generic", team)
        frozen.shift(timedelta(seconds=20))
        statuses = [
            post(client, "generic", payload("generic"), FORGED).status_code for _ in range(3)
        ]
        assert statuses == [401, 401, 401]
        refused = post(client, "generic", payload("generic"), FORGED)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "40"
        assert "3/minute" in refused.json()["errors"]["rate"][0]
        assert Delivery.objects.get(connector=connector).calls == 3  # the 429 wrote nothing
        # Another address is not held back by this one.
        other = post(client, "generic", payload("generic"), FORGED, address="192.0.2.11")
        assert other.status_code == 401
        # After the window, the address may try again.
        frozen.shift(timedelta(seconds=40))
        assert post(client, "generic", payload("generic"), FORGED).status_code == 401

    def test_signed_calls_from_a_limited_address_still_get_through(self, client, team, frozen):
        connector = connector_for("generic", team)
        for _ in range(4):
            post(client, "generic", payload("generic"), FORGED)
        good = payload("generic")
        assert post(client, "generic", good, signed(connector, good)).status_code == 201
        assert Ticket.objects.count() == 1

    def test_calls_to_unknown_connectors_count_too(self, client, team, frozen):
        assert [post(client, "nope", {}, MISSING).status_code for _ in range(4)] == [
            404,
            404,
            404,
            429,
        ]

    def test_an_ipv6_network_counts_as_one_address(self, client, team, frozen):
        connector_for("generic", team)
        for host in range(1, 4):
            address = f"2001:db8:1:2::{host}"
            assert post(client, "generic", {}, FORGED, address=address).status_code == 401
        assert post(client, "generic", {}, FORGED, address="2001:db8:1:2::99").status_code == 429
        assert post(client, "generic", {}, FORGED, address="2001:db8:1:3::1").status_code == 401
