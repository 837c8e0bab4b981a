"""Bounce and complaint events (django-anymail tracking webhooks) suppress the address."""

import base64
import json

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.test import override_settings
from django.urls import clear_url_caches

from delivery.models import SuppressedAddress
from surveys.models import Invitation
from surveys.services import ticket_close

from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db


def send_event(event_type, recipient, description=""):
    event = AnymailTrackingEvent(
        event_type=event_type, recipient=recipient, description=description
    )
    tracking.send(sender=object, event=event, esp_name="Postmark")


def test_a_bounce_fails_the_last_survey_and_suppresses_the_address(team, frozen):
    requester = RequesterFactory(email="ann@example.org")
    inv = InvitationFactory(
        ticket=TicketFactory(requester=requester, team=team), status="sent", sent_at=NOW
    )
    send_event("bounced", "Ann@Example.org", "mailbox does not exist")
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.FAILED
    assert inv.reason == "bounced: Postmark: mailbox does not exist"
    closed = ticket_close(
        source="jira",
        external_id="X-2",
        team=team,
        requester_email="ann@example.org",
        closed_at=NOW,
    )
    later = Invitation.objects.get(ticket=closed.ticket)
    assert (later.status, later.reason) == ("suppressed", "bounced")
    assert mail.outbox == []


def test_a_complaint_suppresses_planned_surveys(team, frozen):
    requester = RequesterFactory(email="ann@example.org")
    planned = InvitationFactory(ticket=TicketFactory(requester=requester, team=team))
    send_event("complained", "ann@example.org")
    planned.refresh_from_db()
    assert (planned.status, planned.reason) == ("suppressed", "complained")


def test_opens_and_deliveries_change_nothing():
    send_event("delivered", "ann@example.org")
    send_event("opened", "ann@example.org")
    assert not SuppressedAddress.objects.exists()


@pytest.fixture
def webhook_urls():
    with override_settings(ANYMAIL={"WEBHOOK_SECRET": "hook:secret"}):
        clear_url_caches()
        import importlib

        import itpulse.urls

        importlib.reload(itpulse.urls)
        yield
    clear_url_caches()
    importlib.reload(itpulse.urls)


def test_the_provider_webhook_needs_its_secret_and_suppresses(client, webhook_urls):
    body = json.dumps(
        {
            "RecordType": "Bounce",
            "Type": "HardBounce",
            "TypeCode": 1,
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "Email": "ann@example.org",
            "BouncedAt": "2026-11-25T10:00:00Z",
            "Description": "The server was unable to deliver your message",
            "Details": "smtp;550 5.1.1 unknown user",
        }
    )
    url = "/anymail/postmark/tracking/"
    assert client.post(url, body, content_type="application/json").status_code == 400
    assert not SuppressedAddress.objects.exists()
    auth = "Basic " + base64.b64encode(b"hook:secret").decode()
    response = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 200
    assert SuppressedAddress.objects.get().reason == "bounced"


def test_without_a_secret_there_is_no_webhook(client):
    assert (
        client.post(
            "/anymail/postmark/tracking/", "{}", content_type="application/json"
        ).status_code
        == 404
    )
