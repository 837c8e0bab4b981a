"""Issue 14: with ITPULSE_REQUESTER_DOMAINS set, a ticket whose requester is outside the
organisation's domains is refused with 400 naming the field, by every door a ticket comes in
by: the single call, the batch (per ticket), webhooks and the CSV import."""

import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from itpulse.settings import _domains
from surveys.models import Ticket
from tests.hooks import connector_for, payload, post_hook

pytestmark = pytest.mark.django_db

OUTSIDE = "Only addresses in example.org, example.nl may be surveyed (ITPULSE_REQUESTER_DOMAINS)."


@pytest.fixture(autouse=True)
def domains(settings):
    settings.ITPULSE_REQUESTER_DOMAINS = ("example.org", "example.nl")


def ticket(email: str, n: int = 1) -> dict:
    return {
        "source": "jira",
        "external_id": f"SD-{n}",
        "team": "workplace",
        "requester": {"email": email},
        "closed_at": "2026-11-25T09:00:00Z",
    }


def close(client, api_headers, email: str):
    body = json.dumps(ticket(email))
    return client.post("/api/v1/tickets/closed", body, "application/json", **api_headers)


@pytest.mark.parametrize(
    "email", ["someone@gmail.com", "x@evil-example.org", "x@example.org.evil.com"]
)
def test_the_single_call_refuses_outside_addresses(client, team, api_headers, frozen, email):
    response = close(client, api_headers, email)
    assert response.status_code == 400
    assert response.json()["errors"] == {"requester.email": [OUTSIDE]}
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("email", ["ann@example.org", "Ann@Example.NL", "piet@nl.example.org"])
def test_the_organisations_domains_and_their_subdomains_pass(
    client, team, api_headers, frozen, email
):
    assert close(client, api_headers, email).status_code == 201


def test_no_setting_lets_any_address_in(client, team, api_headers, frozen, settings):
    settings.ITPULSE_REQUESTER_DOMAINS = ()
    assert close(client, api_headers, "someone@gmail.com").status_code == 201


def test_the_batch_refuses_each_outside_ticket_on_its_own(client, team, api_headers, frozen):
    body = {"tickets": [ticket("ann@example.org", 1), ticket("eve@gmail.com", 2)]}
    response = client.post(
        "/api/v1/tickets/closed/batch", json.dumps(body), "application/json", **api_headers
    )
    assert response.status_code == 200
    good, bad = response.json()["results"]
    assert good["status"] == 201
    assert bad == {"status": 400, "errors": {"requester.email": [OUTSIDE]}}
    assert list(Ticket.objects.values_list("external_id", flat=True)) == ["SD-1"]


def test_a_webhook_is_refused_naming_the_payload_path(client, team, frozen):
    connector = connector_for("generic", team)
    data = payload("generic")
    data["requester"]["email"] = "eve@gmail.com"
    response = post_hook(client, connector, data)
    assert response.status_code == 400
    [(key, messages)] = response.json()["errors"].items()
    assert key.startswith("requester_email (") and messages == [OUTSIDE]
    assert not Ticket.objects.exists()


def test_the_csv_import_skips_outside_rows(tmp_path, team, frozen):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,team,requester email,closed at\n"
        "1,workplace,ann@example.org,2026-11-25T08:00:00Z\n"
        "2,workplace,eve@gmail.com,2026-11-25T08:00:00Z\n"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 rows had errors"):
        call_command("import_tickets", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [f"line 3: requester_email: {OUTSIDE}"]
    assert list(Ticket.objects.values_list("external_id", flat=True)) == ["1"]


def test_the_setting_is_read_strictly():
    assert _domains(" Example.org, @example.nl ,") == ("example.org", "example.nl")
    assert _domains("") == ()
    for bad in ("*.example.org", "example", "ann@example.org", "exa mple.org"):
        with pytest.raises(ImproperlyConfigured, match="ITPULSE_REQUESTER_DOMAINS"):
            _domains(bad)
