"""Concurrent closes on PostgreSQL: the requester lock keeps the throttle, duplicates are no 500."""

import json
import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client

from delivery import planning
from surveys.api_tokens import api_token_create
from surveys.models import Invitation, Requester, Ticket
from tests.factories import TeamFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only"),
]
URL = "/api/v1/tickets/closed"


def body(external_id, email="ann@example.org"):
    return {
        "source": "jira",
        "external_id": external_id,
        "team": "workplace",
        "requester": {"email": email},
        "closed_at": "2020-01-01T10:00:00Z",
    }


def race(monkeypatch, bodies):
    """Each body in its own thread; the planner of each sleeps, so the transactions overlap."""
    _token, raw = api_token_create(name="jira")
    plan = planning.plan_invitations

    def slow(*args, **kwargs):
        time.sleep(0.3)
        return plan(*args, **kwargs)

    monkeypatch.setattr(planning, "plan_invitations", slow)
    results = [None] * len(bodies)

    def run(i):
        try:
            client = Client(raise_request_exception=False)
            response = client.post(
                URL,
                json.dumps(bodies[i]),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {raw}",
            )
            results[i] = (response.status_code, response.content[:300])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
        time.sleep(0.05)
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("known_requester", [True, False])
def test_two_concurrent_closes_of_one_requester_survey_once(monkeypatch, settings, known_requester):
    settings.ITPULSE_THROTTLE_DAYS = 14
    TeamFactory(name="Workplace", slug="workplace")
    if known_requester:
        Requester.objects.create(email="ann@example.org")
    results = race(monkeypatch, [body("A-1"), body("A-2")])
    assert [r[0] for r in results] == [201, 201], results
    reasons = sorted(Invitation.objects.values_list("reason", flat=True))
    assert reasons == ["", "throttled"], reasons


def test_a_concurrent_duplicate_is_200_with_the_stored_ticket(monkeypatch):
    TeamFactory(name="Workplace", slug="workplace")
    results = race(monkeypatch, [body("D-1"), body("D-1", email="bob@example.org"), body("D-1")])
    assert sorted(r[0] for r in results) == [200, 200, 201], results
    assert Ticket.objects.count() == 1 and Invitation.objects.count() == 1
