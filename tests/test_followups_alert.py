"""The detractor alert: e-mail to the team leads in their language, and a chat webhook post."""

import json
import smtplib
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core import mail

from accounts.models import Preference
from delivery import engine
from delivery.tasks import tick
from followups.alerts import (
    KIND,
    WEBHOOK_KIND,
    case_alerts_plan,
    case_webhook_plan,
    case_webhook_post,
)
from followups.models import CaseAlert, CaseWebhookPost, FollowUpCase
from followups.tasks import alert_case, post_case_webhook
from surveys.models import Invitation

from .answering import answer_and_follow
from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, TeamFactory, TicketFactory

pytestmark = pytest.mark.django_db
capture = None


@pytest.fixture(autouse=True)
def after_commit(django_capture_on_commit_callbacks):
    """Run what the services queue after commit, as the real transaction would."""
    global capture
    capture = django_capture_on_commit_callbacks


def detractor(team, score=2, comment="Took a week.", execute=True):
    requester = RequesterFactory(email="ann@example.org", name="Ann")
    invitation = InvitationFactory(
        ticket=TicketFactory(team=team, requester=requester, external_id="SD-42"),
        status=Invitation.Status.SENT,
        sent_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=14),
    )
    with capture(execute=execute):
        response = answer_and_follow(invitation=invitation, score=score, comment=comment)
    return FollowUpCase.objects.filter(response=response).first()


@pytest.fixture
def bob_mail(bob):
    bob.email = "bob@example.org"
    bob.save()
    return bob


def test_the_lead_gets_score_comment_ticket_and_requester(bob_mail, team, frozen, settings):
    settings.ITPULSE_BASE_URL = "https://pulse.example.org"
    case = detractor(team)
    [message] = mail.outbox
    assert message.to == ["bob@example.org"]
    assert "SD-42" in message.subject and "2" in message.subject
    for expected in ("2/10", "Took a week.", "SD-42", "ann@example.org", "Ann"):
        assert expected in message.body
    assert f"https://pulse.example.org/followups/{case.pk}/" in message.body
    assert "mailto:ann@example.org" in message.alternatives[0][0]
    case.refresh_from_db()
    assert case.alerted_at == NOW


def test_the_alert_is_in_the_leads_language(bob_mail, team, frozen):
    Preference.objects.create(user=bob_mail, language="nl")
    detractor(team)
    assert "Opvolgen" in mail.outbox[0].subject


def test_a_lead_without_a_preference_gets_the_organisations_language(
    bob_mail, team, frozen, settings
):
    settings.LANGUAGE_CODE, settings.ITPULSE_LANGUAGE_SET = "nl", True
    detractor(team)
    assert "Opvolgen" in mail.outbox[0].subject


def test_the_leads_preference_beats_the_organisations_language(bob_mail, team, frozen, settings):
    settings.LANGUAGE_CODE, settings.ITPULSE_LANGUAGE_SET = "nl", True
    Preference.objects.create(user=bob_mail, language="en")
    detractor(team)
    assert mail.outbox[0].subject.startswith("Follow up")


def test_outsiders_and_other_teams_leads_get_nothing(
    bob_mail, charlie, django_user_model, team, frozen
):
    charlie.email = "charlie@example.org"
    charlie.save()
    other = django_user_model.objects.create_user("olga", email="olga@example.org")
    TeamFactory(slug="network").leads.add(other)
    detractor(team)
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]


def test_a_passive_alerts_nobody(bob_mail, team, frozen):
    detractor(team, score=8)
    assert mail.outbox == []


def test_the_task_run_twice_sends_once(bob_mail, team, frozen):
    case = detractor(team)
    alert_case.delay(case.id)
    alert_case.delay(case.id)
    assert len(mail.outbox) == 1


class Hook(BaseHTTPRequestHandler):
    received: list
    status = 200

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.received.append((self.headers["Content-Type"], json.loads(self.rfile.read(length))))
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_server(settings):
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = True  # the receiver is on loopback
    received = []
    handler = type("H", (Hook,), {"received": received})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_port}/hook"
    yield server
    server.shutdown()
    server.server_close()


def test_a_configured_team_gets_a_chat_post(bob, team, frozen, settings, webhook_server):
    settings.ITPULSE_TEAM_WEBHOOKS = {"workplace": webhook_server.url}
    case = detractor(team)
    [(content_type, body)] = webhook_server.received
    assert content_type == "application/json"
    # A local receiver is no chat: it gets JSON (the chat shapes: tests/test_chat_alerts.py).
    assert "Score 2" in body["summary"] and body["ticket"]["external_id"] == "SD-42"
    assert body["comment"] == "Took a week."
    assert body["case"]["url"].endswith(f"/followups/{case.pk}/")
    # A chat channel reaches more people than the leads: no contact details there.
    assert "ann@example.org" not in json.dumps(body)
    assert not case_webhook_post(case_id=case.id)  # posted once only


def test_a_team_without_webhook_posts_nothing(bob, team, frozen, settings, webhook_server):
    settings.ITPULSE_TEAM_WEBHOOKS = {"network": webhook_server.url}
    detractor(team)
    assert webhook_server.received == []


def test_a_failing_webhook_is_retried_with_backoff_then_posted_once(
    team, frozen, settings, webhook_server
):
    settings.ITPULSE_TEAM_WEBHOOKS = {"workplace": webhook_server.url}
    settings.ITPULSE_RETRY_BASE_SECONDS = 60
    webhook_server.RequestHandlerClass.status = 500
    case = detractor(team)
    post = CaseWebhookPost.objects.get(case=case)
    assert (post.status, post.attempts) == ("planned", 1) and "500" in post.reason
    assert NOW + timedelta(seconds=30) <= post.send_after <= NOW + timedelta(seconds=90)
    webhook_server.RequestHandlerClass.status = 200
    frozen.move_to(post.send_after)
    tick()
    tick()
    post_case_webhook.delay(case.id)
    post.refresh_from_db()
    assert (post.status, post.attempts) == ("sent", 2)
    assert len(webhook_server.received) == 2  # the refused one, then the one that went through


def test_a_chat_webhook_on_a_private_address_is_refused_for_good(
    team, frozen, settings, webhook_server
):
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = False  # the default: no calls into our own network
    settings.ITPULSE_TEAM_WEBHOOKS = {"workplace": webhook_server.url}
    case = detractor(team)
    post = CaseWebhookPost.objects.get(case=case)
    assert (post.status, post.attempts) == ("failed", 1)
    assert "ITPULSE_OUTGOING_ALLOW_PRIVATE" in post.reason  # the operator sees why
    assert webhook_server.received == []


def test_a_chat_post_held_by_a_dead_worker_is_posted_once_after_the_timeout(
    team, frozen, settings, webhook_server
):
    settings.ITPULSE_TEAM_WEBHOOKS = {"workplace": webhook_server.url}
    settings.ITPULSE_SENDING_TIMEOUT = 600
    case = detractor(team, execute=False)
    case_webhook_plan(case_id=case.id, now=NOW)
    engine.claim_due(WEBHOOK_KIND, now=NOW, limit=10)  # ...and the worker dies here
    post_case_webhook.delay(case.id)
    tick()
    assert webhook_server.received == []
    frozen.shift(timedelta(minutes=11))
    tick()
    tick()
    post_case_webhook.delay(case.id)
    assert len(webhook_server.received) == 1


def test_the_alert_is_queued_only_after_commit(bob_mail, team, frozen):
    invitation = InvitationFactory(
        ticket__team=team,
        status=Invitation.Status.SENT,
        sent_at=NOW,
        expires_at=NOW + timedelta(days=14),
    )
    with capture(execute=False) as callbacks:
        answer_and_follow(invitation=invitation, score=0)
    # The answer's follow-through task, then the case's alert and its webhook post.
    assert mail.outbox == [] and len(callbacks) == 3


def test_an_anonymous_team_gets_no_case_and_no_alert(
    bob_mail, team, frozen, settings, webhook_server
):
    team.anonymous = True
    team.save()
    settings.ITPULSE_TEAM_WEBHOOKS = {"workplace": webhook_server.url}
    assert detractor(team) is None  # issue 6: a call-back would reveal who answered
    assert mail.outbox == [] and webhook_server.received == []


def test_a_team_turned_anonymous_later_no_longer_shows_who(client, bob_mail, team, frozen):
    case = detractor(team)
    team.anonymous = True
    team.save()
    client.force_login(bob_mail)
    for url in (f"/followups/{case.pk}/", "/followups/", "/followups/teams/workplace/reasons/"):
        page = client.get(url).content
        assert b"ann@example.org" not in page and b"SD-42" not in page, url
    # The case still shows the answer; the reasons page withholds a group of one person.
    assert b"Took a week." in client.get(f"/followups/{case.pk}/").content
    assert b"Took a week." not in client.get("/followups/teams/workplace/reasons/").content
    mail.outbox.clear()
    # A retried alert after the switch: each e-mail is written when it is sent.
    CaseAlert.objects.filter(case=case).update(status="planned", send_after=NOW)
    tick()
    [message] = mail.outbox
    for text in (message.subject, message.body, message.alternatives[0][0]):
        assert "ann@example.org" not in text and "SD-42" not in text


class TestDelivery:
    """Alerts go through the delivery engine: one row per lead, claimed, retried, reclaimed."""

    @pytest.fixture
    def two_leads(self, bob_mail, team, django_user_model):
        lena = django_user_model.objects.create_user("lena", email="lena@example.org")
        team.leads.add(lena)
        return bob_mail, lena

    def test_a_refusal_for_one_lead_is_retried_without_mailing_the_other_again(
        self, two_leads, team, frozen, smtp_script, settings
    ):
        settings.ITPULSE_RETRY_BASE_SECONDS = 60
        smtp_script.script.extend(
            [smtplib.SMTPRecipientsRefused({"x": (451, b"4.3.0 try later")}), None]
        )
        case = detractor(team)
        assert len(mail.outbox) == 1
        waiting = CaseAlert.objects.get(case=case, status="planned")
        assert waiting.attempts == 1 and "451" in waiting.reason
        frozen.move_to(waiting.send_after)
        tick()
        assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.org", "lena@example.org"]
        tick()
        alert_case.delay(case.id)
        assert len(mail.outbox) == 2
        assert set(CaseAlert.objects.values_list("status", flat=True)) == {"sent"}

    def test_an_alert_held_by_a_dead_worker_is_sent_once_after_the_timeout(
        self, bob_mail, team, frozen, settings
    ):
        settings.ITPULSE_SENDING_TIMEOUT = 600
        case = detractor(team, execute=False)
        case_alerts_plan(case_id=case.id, now=NOW)
        engine.claim_due(KIND, now=NOW, limit=10)  # ...and the worker dies here
        alert_case.delay(case.id)
        tick()
        assert mail.outbox == []
        frozen.shift(timedelta(minutes=11))
        tick()
        tick()
        alert_case.delay(case.id)
        assert [m.to for m in mail.outbox] == [["bob@example.org"]]

    def test_someone_no_longer_a_lead_when_it_is_sent_gets_nothing(self, bob_mail, team, frozen):
        case = detractor(team, execute=False)
        case_alerts_plan(case_id=case.id, now=NOW)
        team.leads.remove(bob_mail)
        tick()
        assert mail.outbox == []
        assert CaseAlert.objects.get().status == "suppressed"
