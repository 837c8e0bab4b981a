"""An answer on the live site is written back to its Jira Service Management ticket by the real
worker: the tool is busy at first (503), and the engine's retry writes the internal note once.
The request shape per tool is tests/test_writeback.py's; here the path through web server,
broker, worker and delivery engine."""

import re
import threading

import pytest
import requests
from django.utils import timezone

from integrations.models import WriteBack
from integrations.services import connector_create
from surveys.models import Invitation
from tests.factories import InvitationFactory, RequesterFactory, TeamFactory, TicketFactory
from tests.receiver import Request, local_receiver  # noqa: F401 (the receiver fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_answer_reaches_the_ticket_after_the_tool_was_busy(
    live_server, real_broker, smtp_server, start_worker, receiver
):
    team = TeamFactory(name="Workplace", slug="workplace")
    connector_create(
        name="Jira",
        slug="jira",
        kind="jira",
        default_team=team,
        writeback=True,
        api_url=receiver.url,
        api_user="agent@example.org",
        api_token="atlassian-api-token",
    )
    written = threading.Event()

    def busy_once(request: Request) -> tuple[int, dict]:
        if len(receiver.requests) == 1:
            return 503, {}
        written.set()
        return 201, {"id": "1000", "public": False}

    receiver.answer = busy_once
    now = timezone.now()
    invitation = InvitationFactory(
        ticket=TicketFactory(
            team=team, source="jira", external_id="SD-77", requester=RequesterFactory()
        ),
        status=Invitation.Status.SENT,
        sent_at=now,
    )
    token = invitation.new_token(now)
    invitation.save()
    start_worker(
        smtp_port=smtp_server.port,
        base_url=live_server.url,
        ITPULSE_OUTGOING_ALLOW_PRIVATE="true",  # the tool stands on loopback
        ITPULSE_RETRY_BASE_SECONDS="1",
    )

    person = requests.Session()
    link = f"{live_server.url}/s/{token}/"
    page = person.get(f"{link}?score=9", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = person.post(
        link, data={"csrfmiddlewaretoken": csrf, "score": "9", "comment": "Quick!"}, timeout=10
    )
    assert answer.status_code == 200

    assert written.wait(60), [(r.method, r.path) for r in receiver.requests]
    first, second = receiver.requests
    assert (
        first.json()
        == second.json()
        == {
            "body": "{noformat}\nITPulse survey: the requester gave a score of 9/10.\n"
            "Comment: Quick!\n{noformat}",
            "public": False,
        }
    )
    assert second.path == "/rest/servicedeskapi/request/SD-77/comment"
    # The worker records the note once the tool's reply is in: wait for that, not a fixed time.
    recorded = threading.Event()
    for _ in range(100):
        if WriteBack.objects.filter(status="sent", attempts=2).exists():
            recorded.set()
            break
        recorded.wait(0.1)
    assert recorded.is_set(), list(WriteBack.objects.values("status", "attempts", "reason"))
