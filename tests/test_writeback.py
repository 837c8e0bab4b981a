"""Write-back to the ticket (issue 16.5): an answer's score and comment become an internal note on
its ticket, through each tool's documented REST call, sent by the delivery engine.

A real HTTP server in a thread (tests/receiver.py) plays the tool: it checks each request's method,
path, authentication and body against the tool's documentation and refuses (400) anything else,
as the tool would. The documented calls, one link per tool:
- Zendesk, update ticket with a private comment:
  https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket
  ("public": false makes an internal note), API token authentication
  https://developer.zendesk.com/api-reference/introduction/security-and-auth/#api-token
- Jira Service Management, create request comment ("public": false is internal):
  https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-comment-post
- GLPI REST API (initSession with user_token, add a sub-item ITILFollowup, killSession):
  https://github.com/glpi-project/glpi/blob/main/apirest.md
- Freshservice, create a note ("private": true; the API key as the basic user):
  https://api.freshservice.com/#create_a_note
- ServiceNow Table API (GET by number for the sys_id, PATCH work_notes):
  https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html
- TOPdesk, update an incident by number with an invisible action:
  https://developers.topdesk.com/explorer/?page=incident#/incident/patchIncidentByNumber
"""

import base64
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from delivery import engine
from delivery.tasks import tick
from integrations import writeback
from integrations.models import WriteBack
from integrations.services import connector_create
from privacy.unlinking import responses_unlink
from surveys.models import Invitation, Response

from .answering import answer_and_follow
from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, TicketFactory
from .receiver import Request, local_receiver  # noqa: F401 (the receiver fixture)

pytestmark = pytest.mark.django_db

COMMENT = (
    "Took a week <b>&</b> [code]<img src=x>[/code] {noformat} [~accountid:5b10a2844c20165700ede21g]"
)
FIRST = "ITPulse survey: the requester gave a score of 2/10."
TEXT = f"{FIRST}\nComment: {COMMENT}"
HTML = (
    f"{FIRST}<br>Comment: Took a week &lt;b&gt;&amp;&lt;/b&gt; [code]&lt;img src=x&gt;[/code] "
    "{noformat} [~accountid:5b10a2844c20165700ede21g]"
)
JSON = {"Content-Type": "application/json", "Accept": "application/json"}


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@dataclass
class Step:
    """One documented request and the tool's reply to it."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any  # the JSON body, or None for none
    reply: Any = field(default_factory=dict)
    status: int = 200


TOOLS: dict[str, dict[str, Any]] = {
    "zendesk": {
        "ticket": "4711",
        "user": "agent@example.org",
        "token": "zd-api-token",
        "steps": [
            Step(
                "PUT",
                "/api/v2/tickets/4711.json",
                {"Authorization": basic("agent@example.org/token", "zd-api-token")},
                {"ticket": {"comment": {"body": TEXT, "public": False}}},
                {"ticket": {"id": 4711}},
            )
        ],
    },
    "jira": {
        "ticket": "SD-42",
        "user": "agent@example.org",
        "token": "atlassian-api-token",
        "steps": [
            Step(
                "POST",
                "/rest/servicedeskapi/request/SD-42/comment",
                {"Authorization": basic("agent@example.org", "atlassian-api-token")},
                {
                    "body": "{noformat}\n"
                    + TEXT.replace("{noformat}", "{ noformat}")
                    + "\n{noformat}",
                    "public": False,
                },
                {"id": "1000", "public": False},
                201,
            )
        ],
    },
    "glpi": {
        "ticket": "123",
        "user": "glpi-app-token",
        "token": "glpi-user-token",
        "steps": [
            Step(
                "GET",
                "/apirest.php/initSession",
                {"Authorization": "user_token glpi-user-token", "App-Token": "glpi-app-token"},
                None,
                {"session_token": "83af7e620c83a50a18d3eac2f6ed05a3ca0bea62"},
            ),
            Step(
                "POST",
                "/apirest.php/Ticket/123/ITILFollowup",
                {
                    "Session-Token": "83af7e620c83a50a18d3eac2f6ed05a3ca0bea62",
                    "App-Token": "glpi-app-token",
                },
                {
                    "input": {
                        "itemtype": "Ticket",
                        "items_id": 123,
                        "content": HTML,
                        "is_private": 1,
                    }
                },
                {"id": 9, "message": ""},
                201,
            ),
            Step(
                "GET",
                "/apirest.php/killSession",
                {
                    "Session-Token": "83af7e620c83a50a18d3eac2f6ed05a3ca0bea62",
                    "App-Token": "glpi-app-token",
                },
                None,
            ),
        ],
    },
    "freshservice": {
        "ticket": "INC-77",
        "user": "",
        "token": "fs-api-key",
        "steps": [
            Step(
                "POST",
                "/api/v2/tickets/77/notes",
                {"Authorization": basic("fs-api-key", "X")},
                {"body": HTML, "private": True},
                {"conversation": {"id": 5, "private": True}},
                201,
            )
        ],
    },
    "servicenow": {
        "ticket": "INC0010001",
        "user": "itpulse.integration",
        "token": "sn-password",
        "steps": [
            Step(
                "GET",
                "/api/now/table/incident?sysparm_query=number%3DINC0010001"
                "&sysparm_fields=sys_id&sysparm_limit=1",
                {"Authorization": basic("itpulse.integration", "sn-password")},
                None,
                {"result": [{"sys_id": "9d385017c611228701d22104cc95c371"}]},
            ),
            Step(
                "PATCH",
                "/api/now/table/incident/9d385017c611228701d22104cc95c371",
                {"Authorization": basic("itpulse.integration", "sn-password")},
                {"work_notes": TEXT.replace("[code]", "[ code]").replace("[/code]", "[ /code]")},
                {"result": {"sys_id": "9d385017c611228701d22104cc95c371"}},
            ),
        ],
    },
    "topdesk": {
        "ticket": "I 2411 042",
        "user": "itpulse",
        "token": "td-application-password",
        "steps": [
            Step(
                "PATCH",
                "/tas/api/incidents/number/I%202411%20042",
                {"Authorization": basic("itpulse", "td-application-password")},
                {"action": HTML, "actionInvisibleForCaller": True},
                {"number": "I 2411 042"},
            )
        ],
    },
}


def as_documented(steps: list[Step]):
    """The tool's side: each request must be the next documented one, or it is refused."""
    waiting = list(steps)

    def answer(request: Request) -> tuple[int, Any]:
        if not waiting:
            return 400, {"error": "unexpected request"}
        step = waiting[0]
        headers_ok = all(request.headers.get(k) == v for k, v in {**step.headers}.items())
        if step.body is not None:
            headers_ok = headers_ok and all(request.headers.get(k) == v for k, v in JSON.items())
        body = request.json() if request.body else None
        if (request.method, request.path, body) != (step.method, step.path, step.body):
            return 400, {"error": "not the documented request"}
        if not headers_ok:
            return 401, {"error": "not authenticated"}
        waiting.pop(0)
        return step.status, step.reply

    return answer


def connector_for(tool: str, url: str, team, **fields):
    spec = TOOLS[tool]
    return connector_create(
        name=tool,
        slug=tool,
        kind=tool,
        default_team=team,
        api_url=url + "/",
        api_user=spec["user"],
        api_token=spec["token"],
        **{"writeback": True, **fields},
    )


def answered(
    team, source, ticket, capture, *, score=2, comment=COMMENT, invitation=None, execute=True
):
    invitation = invitation or InvitationFactory(
        ticket=TicketFactory(
            team=team,
            source=source,
            external_id=ticket,
            requester=RequesterFactory(),
        ),
        status=Invitation.Status.SENT,
        sent_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=14),
    )
    with capture(execute=execute):
        answer_and_follow(invitation=invitation, score=score, comment=comment, token="t")
    return invitation


@pytest.mark.parametrize("tool", list(TOOLS))
def test_each_tool_gets_its_documented_internal_note(
    tool,
    receiver,
    team,
    frozen,
    django_capture_on_commit_callbacks,
):
    spec = TOOLS[tool]
    receiver.answer = as_documented(spec["steps"])
    connector = connector_for(tool, receiver.url, team)
    answered(team, connector.source, spec["ticket"], django_capture_on_commit_callbacks)
    row = WriteBack.objects.get()
    assert (row.status, row.attempts, row.reason) == ("sent", 1, "")
    assert [(r.method, r.path) for r in receiver.requests] == [
        (step.method, step.path) for step in spec["steps"]
    ]


def test_a_changed_answer_is_a_second_note_saying_so(
    receiver,
    team,
    frozen,
    django_capture_on_commit_callbacks,
):
    connector = connector_for("zendesk", receiver.url, team)
    invitation = answered(team, connector.source, "4711", django_capture_on_commit_callbacks)
    frozen.shift(timedelta(minutes=5))
    answered(
        team,
        connector.source,
        "4711",
        django_capture_on_commit_callbacks,
        score=9,
        comment="",
        invitation=invitation,
    )
    assert [r.json()["ticket"]["comment"]["body"] for r in receiver.requests] == [
        TEXT,
        "ITPulse survey: the requester changed their score to 9/10.",
    ]


def test_an_anonymous_teams_answer_is_never_written_back(
    receiver,
    team,
    frozen,
    django_capture_on_commit_callbacks,
):
    """An anonymous answer has no ticket: writing it onto one would say whose it is."""
    connector = connector_for("zendesk", receiver.url, team)
    team.anonymous = True
    team.save()
    answered(team, connector.source, "4711", django_capture_on_commit_callbacks)
    assert Response.objects.get().invitation_id is None  # stored unlinked
    assert WriteBack.objects.count() == 0 and receiver.requests == []


def test_a_team_turned_anonymous_writes_back_nothing_more(
    receiver,
    team,
    frozen,
    django_capture_on_commit_callbacks,
):
    connector = connector_for("zendesk", receiver.url, team)
    receiver.answer = lambda request: (503, {})
    invitation = answered(team, connector.source, "4711", django_capture_on_commit_callbacks)
    waiting = WriteBack.objects.get()
    assert waiting.status == "planned"  # refused once, waits for its retry
    team.anonymous = True
    team.save()
    # The requester changes the answer through their link, now that the team is anonymous.
    answered(
        team,
        connector.source,
        "4711",
        django_capture_on_commit_callbacks,
        score=1,
        invitation=invitation,
    )
    receiver.answer = lambda request: (200, {})
    frozen.shift(timedelta(days=1))
    tick()
    assert len(receiver.requests) == 1  # only the refused first try
    assert [row.status for row in WriteBack.objects.all()] == ["suppressed"]


def test_a_busy_tool_is_retried_with_backoff_then_written_once(
    receiver,
    team,
    frozen,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.ITPULSE_RETRY_BASE_SECONDS = 60
    connector = connector_for("zendesk", receiver.url, team)
    receiver.answer = lambda request: (503, {})
    answered(team, connector.source, "4711", django_capture_on_commit_callbacks)
    row = WriteBack.objects.get()
    assert (row.status, row.attempts, row.reason) == (
        "planned",
        1,
        "retry 1/5: OSError: zendesk answered 503",
    )
    assert NOW + timedelta(seconds=30) <= row.send_after <= NOW + timedelta(seconds=90)
    receiver.answer = as_documented(TOOLS["zendesk"]["steps"])
    frozen.move_to(row.send_after)
    tick()
    tick()
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2) and len(receiver.requests) == 2


def test_a_refusal_fails_at_once_and_no_credential_is_logged(
    receiver,
    team,
    frozen,
    caplog,
    django_capture_on_commit_callbacks,
):
    connector = connector_for("servicenow", receiver.url, team)
    receiver.answer = lambda request: (401, {"error": {"message": "User Not Authenticated"}})
    with caplog.at_level(logging.INFO):
        answered(team, connector.source, "INC0010001", django_capture_on_commit_callbacks)
    row = WriteBack.objects.get()
    assert (row.status, row.attempts) == ("failed", 1)
    assert row.reason == "NoteRefused: servicenow answered 401"
    for request in receiver.requests:
        assert "sn-password" not in request.path  # credentials travel in headers only
    assert "sn-password" not in caplog.text and "itpulse.integration" not in caplog.text
    assert "write-back" in caplog.text  # the failure is logged, by the row's id


def test_a_private_address_is_refused_without_the_setting(
    receiver,
    team,
    frozen,
    settings,
    django_capture_on_commit_callbacks,
):
    connector = connector_for("zendesk", receiver.url, team)
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = False
    answered(team, connector.source, "4711", django_capture_on_commit_callbacks)
    row = WriteBack.objects.get()
    assert row.status == "failed" and "ITPULSE_OUTGOING_ALLOW_PRIVATE" in row.reason
    assert receiver.requests == []


def test_only_a_connector_with_write_back_on_for_the_tickets_source_writes(
    receiver,
    team,
    frozen,
    django_capture_on_commit_callbacks,
):
    connector_for("zendesk", receiver.url, team, writeback=False)
    connector_for("jira", receiver.url, team)
    answered(team, "zendesk", "4711", django_capture_on_commit_callbacks)
    answered(team, "csv", "77", django_capture_on_commit_callbacks)
    assert WriteBack.objects.count() == 0 and receiver.requests == []


def test_unlinking_an_answer_removes_its_write_backs(
    receiver,
    team,
    frozen,
    django_capture_on_commit_callbacks,
):
    connector = connector_for("zendesk", receiver.url, team)
    answered(team, connector.source, "4711", django_capture_on_commit_callbacks)
    responses_unlink(Response.objects.all())
    assert WriteBack.objects.count() == 0


def test_write_back_needs_an_address_and_a_token(team):
    with pytest.raises(ValidationError) as refused:
        connector_create(name="z", slug="z", kind="zendesk", writeback=True)
    assert set(refused.value.message_dict) == {"api_url", "api_token"}
    with pytest.raises(ValidationError) as refused:
        connector_create(
            name="g",
            slug="g",
            kind="generic",
            writeback=True,
            api_url="https://x.example",
            api_token="t",
        )
    assert set(refused.value.message_dict) == {"writeback"}


def test_a_note_held_by_a_dead_worker_is_written_once_after_the_timeout(
    receiver, team, frozen, settings, django_capture_on_commit_callbacks
):
    settings.ITPULSE_SENDING_TIMEOUT = 600
    connector = connector_for("zendesk", receiver.url, team)
    # No nudge after the commit: the worker dies before sending.
    answered(team, connector.source, "4711", django_capture_on_commit_callbacks, execute=False)
    engine.claim_due(writeback.KIND, now=NOW, limit=10)  # ...and the worker dies here
    tick()
    assert receiver.requests == []
    frozen.shift(timedelta(minutes=11))
    tick()
    tick()
    assert len(receiver.requests) == 1 and WriteBack.objects.get().status == "sent"
