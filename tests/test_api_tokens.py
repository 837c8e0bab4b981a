"""Issue 14: API tokens with least privilege: scopes (403 naming the scope), expiry and
revocation (401), a rate per token (429 with Retry-After), and the old way still working."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from surveys.api_tokens import api_token_create
from surveys.models import ApiToken, Ticket

from .conftest import NOW

pytestmark = pytest.mark.django_db

CLOSED = "/api/v1/tickets/closed"
BATCH = "/api/v1/tickets/closed/batch"


def ticket(n: int = 1) -> dict:
    return {
        "source": "jira",
        "external_id": f"SD-{n}",
        "team": "workplace",
        "requester": {"email": "ann@example.org"},
        "closed_at": "2026-11-25T09:00:00Z",
    }


def command_token(*args: str) -> str:
    out = io.StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()[-1]


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def send(client, raw: str, n: int = 1):
    return client.post(CLOSED, json.dumps(ticket(n)), "application/json", **bearer(raw))


def nps(client, raw: str):
    return client.get("/api/v1/teams/workplace/nps", **bearer(raw))


def test_a_token_made_the_old_way_still_sends_tickets_and_reads_scores(client, team, frozen):
    raw = command_token("jira")  # no --scope: both, as every token could before scopes
    assert send(client, raw).status_code == 201
    assert nps(client, raw).status_code == 200
    token = ApiToken.objects.get()
    assert token.scopes == ["tickets:write", "results:read"]
    assert token.expires_at == NOW + timedelta(days=365)
    assert token.owner is None


def test_a_writing_token_cannot_read_scores(client, team, frozen):
    raw = command_token("jira", "--scope", "tickets:write")
    assert send(client, raw).status_code == 201
    body = [ticket(2)]
    batch = client.post(BATCH, json.dumps({"tickets": body}), "application/json", **bearer(raw))
    assert batch.status_code == 200
    refused = nps(client, raw)
    assert refused.status_code == 403
    assert "results:read" in refused.json()["errors"]["scope"][0]
    assert 'error="insufficient_scope"' in refused["WWW-Authenticate"]
    trend = client.get("/api/v1/teams/workplace/trend", **bearer(raw))
    assert trend.status_code == 403
    # Team slugs are what a sending tool names: any token may list them.
    assert client.get("/api/v1/teams/", **bearer(raw)).status_code == 200


def test_a_reading_token_cannot_send_tickets(client, team, frozen):
    raw = command_token("powerbi", "--scope", "results:read")
    assert nps(client, raw).status_code == 200
    refused = send(client, raw)
    assert refused.status_code == 403
    assert refused.json()["errors"]["scope"] == ["This token lacks the scope tickets:write."]
    batch = client.post(
        BATCH, json.dumps({"tickets": [ticket()]}), "application/json", **bearer(raw)
    )
    assert batch.status_code == 403 and "tickets:write" in batch.content.decode()
    assert not Ticket.objects.exists()


def test_an_expired_token_is_401(client, team, frozen):
    raw = command_token("jira", "--expires-days", "30")
    assert ApiToken.objects.get().expires_at == NOW + timedelta(days=30)
    frozen.shift(timedelta(days=30) - timedelta(seconds=1))
    assert send(client, raw).status_code == 201
    frozen.shift(timedelta(seconds=1))
    refused = send(client, raw, 2)
    assert refused.status_code == 401
    assert refused.json()["errors"]["authorization"] == ["This token has expired."]
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert nps(client, raw).status_code == 401
    assert Ticket.objects.count() == 1


def test_a_revoked_token_is_401_at_once_and_the_revocation_is_audited(client, team, frozen):
    raw = command_token("jira")
    assert send(client, raw).status_code == 201
    out = io.StringIO()
    call_command("revoke_api_token", "jira", stdout=out)
    assert "revoked" in out.getvalue()
    refused = send(client, raw, 2)
    assert refused.status_code == 401
    assert refused.json()["errors"]["authorization"] == ["This token has been revoked."]
    assert ApiToken.objects.get().revoked_at == NOW
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_label"))
    assert actions == [
        ("token_created", "manage.py create_api_token"),
        ("token_revoked", "manage.py revoke_api_token"),
    ]
    with pytest.raises(CommandError, match="revoked already"):
        call_command("revoke_api_token", "jira", stdout=io.StringIO())


def test_a_refused_token_is_not_stamped_as_used(client, team, frozen):
    raw = command_token("jira")
    call_command("revoke_api_token", "jira", stdout=io.StringIO())
    send(client, raw)
    assert ApiToken.objects.get().last_used_at is None


def test_the_command_refuses_bad_scopes_and_lifetimes():
    with pytest.raises(CommandError, match="invalid choice"):
        command_token("jira", "--scope", "tickets:delete")
    for days in ("0", "3651"):
        with pytest.raises(CommandError, match="between 1 and 3650"):
            command_token("jira", "--expires-days", days)
    with pytest.raises(CommandError, match="No token named"):
        call_command("revoke_api_token", "nobody", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_creation_is_audited_with_scopes_and_expiry_but_never_the_secret(frozen):
    raw = command_token("jira", "--scope", "results:read", "--expires-days", "7")
    event = AuditEvent.objects.get(action="token_created")
    assert event.target == "API token jira"
    assert event.details["scopes"] == ["results:read"]
    assert event.details["expires_at"] == (NOW + timedelta(days=7)).isoformat()
    assert raw not in json.dumps(event.details) and raw not in event.target


class TestRateLimit:
    def test_a_token_over_its_rate_gets_429_with_retry_after(self, client, team, frozen, settings):
        settings.ITPULSE_API_RATE = "3/minute"
        raw = command_token("jira")
        frozen.shift(timedelta(seconds=15))  # 10:00:15: the minute's window ends in 45 s
        assert [send(client, raw, n).status_code for n in range(3)] == [201, 201, 201]
        refused = send(client, raw, 4)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "45"
        assert "3/minute" in refused.json()["errors"]["rate"][0]
        assert Ticket.objects.count() == 3
        # Reads count against the same token.
        assert nps(client, raw).status_code == 429
        frozen.shift(timedelta(seconds=45))
        assert send(client, raw, 4).status_code == 201

    def test_each_token_has_a_rate_of_its_own(self, client, team, frozen, settings):
        settings.ITPULSE_API_RATE = "1/hour"
        first, second = command_token("jira"), command_token("zendesk")
        assert send(client, first, 1).status_code == 201
        assert send(client, first, 2).status_code == 429
        assert send(client, second, 3).status_code == 201

    def test_calls_without_a_valid_token_do_not_use_up_the_rate(
        self, client, team, frozen, settings
    ):
        settings.ITPULSE_API_RATE = "1/minute"
        raw = command_token("jira")
        for _ in range(3):
            assert send(client, raw[:-2] + "xx").status_code == 401
        assert send(client, raw).status_code == 201


def test_the_service_makes_tokens_with_the_scopes_it_is_given(frozen):
    token, _raw = api_token_create(name="x", scopes=["results:read", "results:read"], days=2)
    assert (token.scopes, token.expires_at) == (["results:read"], NOW + timedelta(days=2))
    with pytest.raises(ValueError, match="at least one scope"):
        api_token_create(name="y", scopes=["bogus"])


def test_the_openapi_document_and_the_code_agree_on_each_scope(client, team, frozen):
    """Every token operation documents 401 and 429; one that names a scope documents 403, and a
    token with every other scope gets exactly that 403."""
    spec = client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            [bearer] = [option["bearer"] for option in operation["security"] if "bearer" in option]
            if path.startswith("/api/v1/hooks/"):
                continue  # a connector's secret, not a token
            responses = operation["responses"]
            assert {"401", "429"} <= set(responses), path
            assert "Retry-After" in responses["429"]["headers"]
            if not bearer:
                continue
            [scope] = bearer
            others = [s for s in ApiToken.Scope.values if s != scope]
            _token, raw = api_token_create(name=f"{method}{path}", scopes=others)
            url = path.replace("{slug}", "workplace")
            if method == "get":
                response = client.get(url, **bearer_of(raw))
            else:
                response = client.post(url, "{}", "application/json", **bearer_of(raw))
            assert response.status_code == 403 and "403" in responses, path
            assert scope in response.json()["errors"]["scope"][0]
            checked += 1
    assert checked == 6  # tickets/closed, the batch, events, nps, trend, responses


def bearer_of(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
