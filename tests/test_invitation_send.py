import re
import smtplib

import pytest
from django.core import mail
from django.utils import timezone

from delivery.services import invitation_resend, invitation_send
from delivery.tasks import send_invitation
from surveys.models import Invitation, hash_token

from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db


def test_it_sends_text_and_html_with_eleven_score_links(frozen, settings):
    settings.ITPULSE_BASE_URL = "https://pulse.example.org"
    inv = InvitationFactory()
    assert invitation_send(invitation_id=inv.id)
    message = mail.outbox[0]
    assert message.to == [inv.requester.email]
    assert inv.ticket.external_id in message.subject
    links = re.findall(r"https://pulse\.example\.org/s/([\w-]+)/\?score=(\d+)", message.body)
    assert [int(score) for _token, score in links] == list(range(11))
    tokens = {token for token, _score in links}
    assert len(tokens) == 1
    token = tokens.pop()
    assert len(token) >= 22  # at least 128 bits of base64
    html = message.alternatives[0][0]
    assert html.count(f"/s/{token}/?score=") == 11
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.SENT and inv.sent_at == NOW
    assert inv.token_hash == hash_token(token) and token not in inv.token_hash
    assert inv.expires_at == NOW + timezone.timedelta(days=14)


def test_no_personal_data_in_links(frozen):
    requester = RequesterFactory(email="ann.smith@example.org", name="Ann Smith")
    inv = InvitationFactory(ticket=TicketFactory(requester=requester, external_id="SD-987"))
    invitation_send(invitation_id=inv.id)
    urls = re.findall(r"https?://\S+", mail.outbox[0].body)
    assert urls
    for url in urls:
        # The random token itself may contain any letters; everything around it must not.
        url = re.sub(r"/s/[A-Za-z0-9_-]+/", "/s/TOKEN/", url)
        assert "ann" not in url.lower() and "987" not in url and "example.org" not in url


def test_the_mail_is_in_the_requesters_language(frozen):
    requester = RequesterFactory(language="nl")
    inv = InvitationFactory(ticket=TicketFactory(requester=requester))
    invitation_send(invitation_id=inv.id)
    assert "Hoe" in mail.outbox[0].subject


def test_a_task_delivered_twice_sends_once(frozen):
    inv = InvitationFactory()
    send_invitation.delay(inv.id)
    send_invitation.delay(inv.id)
    assert len(mail.outbox) == 1


def test_only_the_claiming_worker_sends(frozen):
    inv = InvitationFactory(status=Invitation.Status.SENDING)
    assert not invitation_send(invitation_id=inv.id)
    assert mail.outbox == []


def test_it_does_not_send_before_send_after(frozen):
    inv = InvitationFactory(send_after=NOW + timezone.timedelta(minutes=5))
    assert not invitation_send(invitation_id=inv.id)
    assert Invitation.objects.get().status == Invitation.Status.PLANNED


def test_a_permanent_mail_failure_is_recorded_with_reason(frozen, smtp_script):
    inv = InvitationFactory()
    smtp_script.script.append(
        smtplib.SMTPRecipientsRefused({inv.requester.email: (550, b"5.1.1 no such user")})
    )
    assert not invitation_send(invitation_id=inv.id)
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.FAILED
    assert inv.reason == "550 5.1.1 no such user" and inv.attempts == 1


def test_a_failed_invitation_can_be_resent(frozen, django_capture_on_commit_callbacks):
    inv = InvitationFactory(status=Invitation.Status.FAILED, reason="boom")
    with django_capture_on_commit_callbacks(execute=True):
        assert invitation_resend(invitation=inv)
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.SENT and inv.reason == ""
    assert len(mail.outbox) == 1


def test_a_sent_invitation_cannot_be_resent(frozen):
    inv = InvitationFactory(status=Invitation.Status.SENT)
    assert not invitation_resend(invitation=inv)
