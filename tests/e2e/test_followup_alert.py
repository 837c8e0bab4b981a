"""A detractor's answer on the live site reaches the team lead through the real worker: an
e-mail over SMTP in the lead's language, and a post to the team's chat webhook."""

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import requests
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Preference
from followups.models import FollowUpCase
from surveys.models import Invitation
from tests.factories import InvitationFactory, RequesterFactory, TeamFactory, TicketFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


class Hook(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()
        self.server.event.set()

    def log_message(self, *args):
        pass


@pytest.fixture
def chat():
    server = HTTPServer(("127.0.0.1", 0), Hook)
    server.received, server.event = [], threading.Event()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_detractor_alerts_the_lead_by_mail_and_chat(
    live_server, real_broker, smtp_server, start_worker, chat
):
    team = TeamFactory(name="Workplace", slug="workplace")
    lead = get_user_model().objects.create_user("bob", email="bob@example.org")
    team.leads.add(lead)
    Preference.objects.create(user=lead, language="nl")
    now = timezone.now()
    invitation = InvitationFactory(
        ticket=TicketFactory(
            team=team,
            external_id="SD-77",
            requester=RequesterFactory(email="ann@example.org", name="Ann"),
        ),
        status=Invitation.Status.SENT,
        sent_at=now,
    )
    token = invitation.new_token(now)
    invitation.save()
    hook_url = f"http://127.0.0.1:{chat.server_port}/hook"
    start_worker(
        smtp_port=smtp_server.port,
        base_url=live_server.url,
        ITPULSE_TEAM_WEBHOOKS=f"workplace={hook_url}",
        ITPULSE_OUTGOING_ALLOW_PRIVATE="true",  # the chat receiver is on loopback
        ITPULSE_CHAT_FORMAT="slack",  # a loopback host is no known chat: say which it stands for
    )

    person = requests.Session()
    link = f"{live_server.url}/s/{token}/"
    page = person.get(f"{link}?score=2", timeout=10)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = person.post(
        link,
        data={"csrfmiddlewaretoken": csrf, "score": "2", "comment": "Nobody came."},
        timeout=10,
    )
    assert answer.status_code == 200

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "bob@example.org"
    assert "Opvolgen" in message["Subject"] and "SD-77" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    assert "Nobody came." in text and "ann@example.org" in text
    case = FollowUpCase.objects.get(response__invitation=invitation)
    assert f"{live_server.url}/followups/{case.pk}/" in text

    assert chat.event.wait(30), "no chat post"
    [post] = chat.received
    assert "SD-77" in post["text"] and "ann@example.org" not in json.dumps(post)
    assert {"type": "plain_text", "text": "Nobody came.", "emoji": False} in [
        block.get("text") for block in post["blocks"]
    ]
