import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from delivery import planning
from surveys.models import Invitation, Requester, Ticket
from tests.conftest import NOW
from tests.factories import TicketFactory

# Hand-written SQL on the way: also run on SQLite (scripts/test.sh).
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]
URL = "/api/v1/tickets/closed/batch"


def item(n, **overrides):
    data = {
        "source": "jira",
        "external_id": f"SD-{n}",
        "subject": f"Ticket {n}",
        "team": "workplace",
        "agent": {"email": f"agent{n % 7}@example.org", "name": f"Agent {n % 7}"},
        "requester": {"email": f"person{n % 50}@example.org", "name": "P", "language": "nl"},
        "closed_at": "2026-11-25T09:00:00Z",
    }
    data.update(overrides)
    return data


def post(client, headers, tickets=None, raw=None):
    body = raw if raw is not None else json.dumps({"tickets": tickets})
    return client.post(URL, body, content_type="application/json", **headers)


def test_each_item_gets_its_own_answer(client, team, api_headers, frozen):
    TicketFactory(source="jira", external_id="SD-OLD", team=team)
    tickets = [
        item(1),
        item(2, requester={"email": "not-an-email"}, closed_at="soon"),
        item(3),
        item(1),  # the same ticket twice in one batch: one survey
        item(9, external_id="SD-OLD"),
        "not an object",
        item(4, team="nope"),
    ]
    response = post(client, api_headers, tickets)
    assert response.status_code == 200
    data = response.json()
    assert [r["status"] for r in data["results"]] == [201, 400, 201, 200, 200, 400, 400]
    assert set(data["results"][1]["errors"]) == {"requester.email", "closed_at"}
    assert "workplace" in data["results"][6]["errors"]["team"][0]
    assert data["results"][0]["ticket"]["external_id"] == "SD-1"
    assert data["results"][0]["invitation"]["status"] == "planned"
    assert (data["created"], data["existing"], data["invalid"]) == (2, 2, 3)
    assert Ticket.objects.count() == 3
    assert Invitation.objects.filter(ticket__external_id__in=["SD-1", "SD-3"]).count() == 2


def test_a_batch_sends_every_survey_after_commit(
    client, team, api_headers, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert post(client, api_headers, [item(n) for n in range(20)]).status_code == 200
    assert len(callbacks) == 1  # one message on the broker for the whole batch
    assert len(mail.outbox) == 20
    assert Invitation.objects.filter(status="sent").count() == 20


def test_an_opted_out_requester_gets_no_survey(client, team, api_headers, frozen):
    Requester.objects.create(email="person1@example.org", opted_out_at=NOW)
    post(client, api_headers, [item(1)])
    assert (Invitation.objects.get().status, Invitation.objects.get().reason) == (
        "suppressed",
        "opted out",
    )


def test_the_cost_of_a_batch_does_not_grow_with_its_size(
    client, team, api_headers, frozen, counters_in_memory
):
    def queries_for(tickets):
        with CaptureQueriesContext(connection) as queries:
            assert post(client, api_headers, tickets).status_code == 200
        return len(queries)

    post(client, api_headers, [item(999)])  # the token's "last used" stamp is now fresh
    small = queries_for([item(n) for n in range(5)])
    large = queries_for([item(n) for n in range(1000, 1500)])
    assert large == small <= 13


def test_a_failure_half_way_writes_nothing(client, team, api_headers, frozen, monkeypatch):
    plan = planning.plan_invitations

    def broken(*args, **kwargs):  # after the requesters and tickets were written
        plan(*args, **kwargs)
        raise RuntimeError("database went away")

    monkeypatch.setattr(planning, "plan_invitations", broken)
    with pytest.raises(RuntimeError):
        post(client, api_headers, [item(n) for n in range(10)])
    assert not Ticket.objects.exists() and not Requester.objects.exists()


@pytest.mark.parametrize(
    ("tickets", "raw"),
    [
        (None, "{not json"),
        (None, "[]"),
        (None, '{"tickets": {}}'),
        ([], None),
        ([item(n) for n in range(1001)], None),
    ],
)
def test_a_bad_envelope_is_400(client, team, api_headers, tickets, raw):
    response = post(client, api_headers, tickets, raw=raw)
    assert response.status_code == 400
    assert response.json()["errors"]
    assert not Ticket.objects.exists()


def test_null_characters_are_refused_per_item(client, team, api_headers, frozen):
    response = post(client, api_headers, [item(1, subject="a\x00b")])
    assert response.json()["results"][0]["errors"]["subject"]
    assert not Ticket.objects.exists()


def test_a_body_over_one_megabyte_is_413(client, team, api_headers):
    tickets = [item(n, subject="x" * 250) for n in range(1000)] * 5
    assert post(client, api_headers, tickets).status_code == 413


def test_a_token_is_required(client, team):
    assert post(client, {}, [item(1)]).status_code == 401
    assert not Ticket.objects.exists()


def test_a_token_in_use_is_stamped_once_a_minute(
    client, team, api_headers, frozen, counters_in_memory
):
    from datetime import timedelta

    from surveys.models import ApiToken

    post(client, api_headers, [item(1)])
    first = ApiToken.objects.get().last_used_at
    frozen.shift(timedelta(seconds=30))
    with CaptureQueriesContext(connection) as queries:
        post(client, api_headers, [item(2)])
    assert not any(q["sql"].startswith("UPDATE") for q in queries)
    assert ApiToken.objects.get().last_used_at == first
    frozen.shift(timedelta(seconds=31))
    post(client, api_headers, [item(3)])
    assert ApiToken.objects.get().last_used_at > first


def test_a_closed_at_of_unusual_digits_is_400_not_500(client, team, api_headers, frozen):
    # "²" and "١٢" pass str.isdigit(); float() refuses the first one.
    response = post(client, api_headers, [item(1, closed_at="²"), item(2, closed_at="1764064800")])
    assert response.status_code == 200
    assert [r["status"] for r in response.json()["results"]] == [400, 201]
    assert "closed_at" in response.json()["results"][0]["errors"]


def test_a_blank_team_in_a_batch_is_a_400(client, team, api_headers, frozen):
    client.raise_request_exception = False
    response = client.post(
        "/api/v1/tickets/closed/batch",
        json.dumps({"tickets": [item(1) | {"team": "  "}]}),
        content_type="application/json",
        **api_headers,
    )
    assert response.status_code != 500, response.content[:300]
    assert response.json()["results"][0]["status"] == 400, response.json()
