"""Outgoing webhooks (issue 16.4): an administrator subscribes a URL (command or staff page);
each answer, changed answer and new follow-up case is delivered through the delivery engine,
signed per Standard Webhooks (checked by the specification's own library in a real local
receiver), retried with backoff, visible with its status, and the webhook disabled after
repeated failure with an e-mail to the administrators. Private addresses are refused unless
ITPULSE_OUTGOING_ALLOW_PRIVATE."""

import io
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from audit.models import AuditEvent
from delivery import engine
from followups.models import FollowUpCase
from surveys.models import Invitation
from surveys.services import response_submit
from webhooks import deliveries, services
from webhooks.anonymous import anonymous_days_plan
from webhooks.models import Webhook, WebhookDelivery

from .conftest import NOW
from .factories import InvitationFactory, TeamFactory
from .webhook_receiver import receiver_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    receiver, server = receiver_start()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def private_allowed(settings):
    """The receiver listens on loopback: allowed in these tests only."""
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = True


def add_webhook(url, events="response.created,response.changed,followup.opened"):
    out = io.StringIO()
    call_command("add_webhook", url, "--events", events, stdout=out)
    return out.getvalue().splitlines()[-1]


def sent_to(team, **extra):
    return InvitationFactory(
        status=Invitation.Status.SENT,
        sent_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=14),
        ticket__team=team,
        **extra,
    )


def answer(capture, invitation, score=9):
    with capture(execute=True):  # after commit: the engine is nudged (eager here)
        return response_submit(invitation=invitation, score=score, comment="Thanks")


def test_answers_are_delivered_signed_per_standard_webhooks(
    receiver, private_allowed, team, frozen, django_capture_on_commit_callbacks
):
    """Planted: the signed string without the timestamp ("id.body"): the specification's
    verifier refused every delivery (401), and this failed."""
    receiver.secret = add_webhook(receiver.url)
    assert receiver.secret.startswith("whsec_")
    [event] = AuditEvent.objects.filter(action="webhook_created")
    assert event.actor_label == "manage.py add_webhook" and event.details["url"] == receiver.url
    invitation = sent_to(team, ticket__external_id="SD-9")
    given = answer(django_capture_on_commit_callbacks, invitation, score=8)
    answer(django_capture_on_commit_callbacks, invitation, score=10)
    assert [item.verified for item in receiver.received] == [True, True]
    created, changed = (item.message for item in receiver.received)
    assert created["type"] == "response.created" and changed["type"] == "response.changed"
    assert created["data"]["id"] == given.id and created["data"]["score"] == 8
    assert changed["data"]["score"] == 10
    assert created["data"]["ticket"] == {"source": "jira", "external_id": "SD-9"}
    first = receiver.received[0].headers
    assert first["webhook-id"].startswith("msg_")
    assert first["webhook-timestamp"] == str(int(NOW.timestamp()))
    assert first["webhook-signature"].startswith("v1,")
    rows = WebhookDelivery.objects.order_by("id")
    assert [(row.status, row.attempts) for row in rows] == [("sent", 1), ("sent", 1)]


def test_a_detractor_opens_a_case_and_followup_opened_goes_out(
    receiver, private_allowed, team, frozen, django_capture_on_commit_callbacks
):
    receiver.secret = add_webhook(receiver.url, "followup.opened")
    answer(django_capture_on_commit_callbacks, sent_to(team), score=2)
    case = FollowUpCase.objects.get()
    [item] = receiver.verified
    assert item.message["type"] == "followup.opened"
    assert item.message["data"]["id"] == case.id
    assert item.message["data"]["response"]["score"] == 2
    assert item.message["data"]["url"].endswith(f"/followups/{case.id}/")


def test_a_private_address_is_refused_without_the_setting(
    receiver, team, frozen, settings, django_capture_on_commit_callbacks
):
    with pytest.raises(CommandError, match="private"):
        add_webhook(receiver.url)
    # Subscribed while allowed, the setting turned off later: the call itself is refused.
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = True
    add_webhook(receiver.url)
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = False
    answer(django_capture_on_commit_callbacks, sent_to(team))
    assert receiver.received == []
    [row] = WebhookDelivery.objects.all()
    assert row.status == "failed" and "private" in row.reason


def test_a_failing_receiver_is_retried_then_disabled_and_the_administrators_told(
    receiver,
    private_allowed,
    team,
    carol,
    frozen,
    settings,
    monkeypatch,
    client,
    django_capture_on_commit_callbacks,
):
    carol.email = "carol@example.org"
    carol.save()
    settings.ITPULSE_MAX_ATTEMPTS = 2
    monkeypatch.setattr(services, "DISABLE_AFTER", 2)
    receiver.secret = add_webhook(receiver.url, "response.created")
    receiver.script = [500, 503, 500, 500]
    answer(django_capture_on_commit_callbacks, sent_to(team))
    [row] = WebhookDelivery.objects.all()
    assert row.status == "planned" and row.reason.startswith("retry 1/2")
    assert row.send_after > NOW  # backoff
    frozen.shift(timedelta(hours=1))
    engine.tick(now=engine_now())
    row.refresh_from_db()
    assert row.status == "failed" and "503" in row.reason
    hook = Webhook.objects.get()
    assert hook.enabled and hook.failures == 1 and mail.outbox == []
    # The same message each try: one id, a fresh timestamp.
    assert len({item.headers["webhook-id"] for item in receiver.received}) == 1
    answer(django_capture_on_commit_callbacks, sent_to(team))
    frozen.shift(timedelta(hours=1))
    engine.tick(now=engine_now())
    hook.refresh_from_db()
    assert not hook.enabled and "500" in hook.disabled_reason
    [message] = mail.outbox
    assert message.to == ["carol@example.org"] and receiver.url in message.subject
    assert AuditEvent.objects.filter(action="webhook_disabled").count() == 1
    # Disabled: a new answer is planned for nobody; its page shows the failures.
    answer(django_capture_on_commit_callbacks, sent_to(team))
    assert WebhookDelivery.objects.count() == 2 and len(receiver.received) == 4
    client.force_login(carol)
    page = client.get(f"/staff/webhooks/{hook.pk}/").content.decode()
    assert "disabled" in page and "gave up after 2 attempts" in page
    # Enabled again, the next answer goes out.
    client.post(f"/staff/webhooks/{hook.pk}/enable/")
    answer(django_capture_on_commit_callbacks, sent_to(team))
    assert receiver.received[-1].verified and WebhookDelivery.objects.filter(status="sent")


def test_a_delivery_that_goes_through_ends_the_run_of_failures(
    receiver, private_allowed, team, frozen, django_capture_on_commit_callbacks
):
    """Failures count in a row: planted, a sent delivery that leaves the count alone failed
    this (a webhook failing once a week would be disabled after five weeks)."""
    receiver.secret = add_webhook(receiver.url, "response.created")
    Webhook.objects.update(failures=services.DISABLE_AFTER - 1)
    answer(django_capture_on_commit_callbacks, sent_to(team))
    assert Webhook.objects.get().failures == 0


def engine_now():
    return timezone.now()


def test_anonymous_answers_go_out_after_their_day_without_ticket_or_person(
    receiver, private_allowed, frozen, settings, django_capture_on_commit_callbacks
):
    settings.ITPULSE_MIN_GROUP = 1  # one answer: the small-group rule is tested below
    hidden = TeamFactory(slug="hidden", name="Hidden", anonymous=True)
    receiver.secret = add_webhook(receiver.url)
    given = answer(django_capture_on_commit_callbacks, sent_to(hidden), score=1)
    # Nothing in the answer's own transaction (it would date it and pair it).
    assert not WebhookDelivery.objects.exists() and receiver.received == []
    assert anonymous_days_plan(now=NOW) == 0  # its day is not over
    frozen.shift(timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymous_days_plan(now=engine_now()) == 1
    assert anonymous_days_plan(now=engine_now()) == 0  # once
    [item] = receiver.verified
    data = item.message["data"]
    assert item.message["type"] == "response.created" and data["id"] == given.id
    assert data["anonymous"] is True
    assert (data["ticket"], data["requester"], data["agent"]) == (None, None, None)
    # Its day's midnight, not its time.
    assert datetime.fromisoformat(item.message["timestamp"]) == given.created_at


def test_an_anonymous_answer_of_a_day_with_too_few_people_is_not_sent(
    receiver, private_allowed, frozen, settings, django_capture_on_commit_callbacks
):
    """Planted: the kind's prepare without withheld_answer_ids sent the lone answer."""
    settings.ITPULSE_MIN_GROUP = 2
    hidden = TeamFactory(slug="hidden", name="Hidden", anonymous=True)
    receiver.secret = add_webhook(receiver.url)
    answer(django_capture_on_commit_callbacks, sent_to(hidden), score=1)
    frozen.shift(timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        anonymous_days_plan(now=engine_now())
    assert receiver.received == []
    [row] = WebhookDelivery.objects.all()
    assert row.status == "suppressed" and row.reason == deliveries.TOO_FEW


def test_the_staff_page_subscribes_with_its_csrf_protected_form(carol, bob, settings):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(carol)
    body = {"url": "http://127.0.0.1:9/itpulse", "events": ["response.created"]}
    assert csrf_client.post("/staff/webhooks/", body).status_code == 403  # no CSRF token
    page = csrf_client.get("/staff/webhooks/")
    assert 'href="/staff/webhooks/"' in page.content.decode()  # in the navigation
    token = page.cookies["csrftoken"].value
    refused = csrf_client.post("/staff/webhooks/", {**body, "csrfmiddlewaretoken": token})
    assert "loopback" in refused.content.decode() and not Webhook.objects.exists()
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = True
    response = csrf_client.post("/staff/webhooks/", {**body, "csrfmiddlewaretoken": token})
    hook = Webhook.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/webhooks/{hook.pk}/"
    assert hook.events == ["response.created"] and hook.created_by == carol
    detail = csrf_client.get(f"/staff/webhooks/{hook.pk}/").content.decode()
    assert hook.secret in detail
    # Answers leave the building: who sent them where is in the audit log, and who stopped it.
    created = AuditEvent.objects.get(action="webhook_created")
    assert created.actor == carol and created.details["url"] == body["url"]
    csrf_client.post(f"/staff/webhooks/{hook.pk}/delete/", {"csrfmiddlewaretoken": token})
    assert not Webhook.objects.exists()
    assert AuditEvent.objects.get(action="webhook_deleted").actor == carol
    # A team lead reaches none of it.
    lead = Client()
    lead.force_login(bob)
    assert lead.get("/staff/webhooks/").status_code == 404
    assert 'href="/staff/webhooks/"' not in lead.get("/dashboard/").content.decode()


def test_add_webhook_refuses_unknown_events(settings):
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = True
    with pytest.raises(CommandError, match=r"Unknown events: response\.deleted"):
        add_webhook("https://hooks.example.org/x", "response.created,response.deleted")
    assert not Webhook.objects.exists()


def test_the_kind_is_registered_with_the_engine():
    assert engine.get("webhook deliveries") is deliveries.KIND
