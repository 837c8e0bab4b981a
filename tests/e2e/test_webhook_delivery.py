"""Native webhooks and a batch on real parts: live server → Redis → Celery worker → SMTP."""

import json
import time

import pytest
import requests

from integrations.models import Delivery
from integrations.samples import encode
from surveys.api_tokens import api_token_create
from surveys.models import Invitation
from tests.factories import TeamFactory
from tests.hooks import connector_for, payload, signed_headers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_signed_zendesk_call_and_a_batch_become_e_mails(
    live_server, real_broker, smtp_server, start_worker
):
    team = TeamFactory(name="Workplace", slug="workplace")
    connector = connector_for("zendesk", team)
    start_worker(smtp_port=smtp_server.port, base_url=live_server.url)

    body = json.dumps(payload("zendesk")).encode()
    headers = {
        "Content-Type": "application/json",
        **signed_headers(connector, body, int(time.time())),
    }
    url = f"{live_server.url}/api/v1/hooks/{connector.slug}"
    first = requests.post(url, data=body, headers=headers, timeout=30)
    retry = requests.post(url, data=body, headers=headers, timeout=30)
    assert (first.status_code, retry.json()["result"]) == (201, "duplicate"), first.text

    _token, raw = api_token_create(name="batch")
    tickets = [
        {
            "source": "jira",
            "external_id": f"SD-{n}",
            "team": "workplace",
            "requester": {"email": f"person{n}@example.org"},
            "closed_at": "2026-11-25T09:00:00Z",
        }
        for n in range(3)
    ]
    batch = requests.post(
        f"{live_server.url}/api/v1/tickets/closed/batch",
        json={"tickets": tickets},
        headers={"Authorization": f"Bearer {raw}"},
        timeout=30,
    )
    assert batch.json()["created"] == 3, batch.text

    messages = smtp_server.wait_for(4)
    assert sorted(m["To"] for m in messages) == [
        "ann@example.org",
        "person0@example.org",
        "person1@example.org",
        "person2@example.org",
    ]
    deadline = time.monotonic() + 20  # the worker marks "sent" just after the SMTP reply
    while Invitation.objects.filter(status="sent").count() < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert Invitation.objects.filter(status="sent").count() == 4
    assert list(Delivery.objects.values_list("outcome", flat=True).order_by("id")) == [
        "accepted",
        "duplicate",
    ]


def test_glpi_11_and_topdesk_as_documented_become_e_mails(
    live_server, real_broker, smtp_server, start_worker
):
    """Issue 16, point 1, on real parts: GLPI 11's native payload (signed as GLPI signs it) and
    TOPdesk's action sequence (a fixed Authorization header), each on its tool's preset."""
    team = TeamFactory(name="Workplace", slug="workplace")
    glpi, topdesk = connector_for("glpi", team), connector_for("topdesk", team)
    start_worker(smtp_port=smtp_server.port, base_url=live_server.url)

    body = encode("glpi", payload("glpi"))
    glpi_headers = {"Content-Type": "application/json"}
    glpi_headers |= signed_headers(glpi, body, int(time.time()))
    url = f"{live_server.url}/api/v1/hooks/"
    answer = requests.post(url + glpi.slug, data=body, headers=glpi_headers, timeout=30)
    assert answer.status_code == 201, answer.text
    fixed = {"Content-Type": "application/json", "Authorization": f"Bearer {topdesk.secret}"}
    body = encode("topdesk", payload("topdesk"))
    answer = requests.post(url + topdesk.slug, data=body, headers=fixed, timeout=30)
    assert answer.status_code == 201, answer.text

    messages = smtp_server.wait_for(2)
    assert [m["To"] for m in messages] == ["ann@example.org", "ann@example.org"]
