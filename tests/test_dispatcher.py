"""The dispatcher: due invitations in bounded batches, one connection each, claims, retries."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from delivery import dispatch
from delivery.tasks import tick
from surveys.models import Invitation

from .conftest import NOW
from .factories import InvitationFactory

pytestmark = pytest.mark.django_db
Status = Invitation.Status


def test_it_sends_only_what_is_due_in_bounded_batches(frozen, smtp_script):
    due = InvitationFactory.create_batch(5, send_after=NOW - timedelta(minutes=1))
    later = InvitationFactory(send_after=NOW + timedelta(minutes=10))
    outcome = dispatch.dispatch_due(now=NOW, limit=3)
    assert (outcome.claimed, outcome.sent) == (3, 3)
    assert smtp_script.opened == 1  # one SMTP connection for the whole batch
    dispatch.dispatch_due(now=NOW, limit=3)
    assert len(mail.outbox) == 5
    assert {m.to[0] for m in mail.outbox} == {inv.requester.email for inv in due}
    assert Invitation.objects.get(pk=later.pk).status == Status.PLANNED


def test_the_beat_tick_sends_a_delayed_survey_when_it_is_due(frozen):
    inv = InvitationFactory(send_after=NOW + timedelta(minutes=30))
    tick()
    assert mail.outbox == []
    frozen.shift(timedelta(minutes=31))
    tick()
    inv.refresh_from_db()
    assert inv.status == Status.SENT and len(mail.outbox) == 1


def test_a_claimed_invitation_is_not_claimed_again(frozen):
    InvitationFactory.create_batch(2)
    claim, first = dispatch.claim_due(now=NOW, limit=10)
    _claim, second = dispatch.claim_due(now=NOW, limit=10)
    assert len(first) == 2 and second == []
    assert {inv.claimed_by for inv in first} == {claim}


def test_an_invitation_stuck_in_sending_is_reclaimed_after_the_timeout(frozen, settings):
    settings.ITPULSE_SENDING_TIMEOUT = 600
    stuck = InvitationFactory(
        status=Status.SENDING, claimed_at=NOW - timedelta(minutes=11), claimed_by="dead"
    )
    busy = InvitationFactory(
        status=Status.SENDING, claimed_at=NOW - timedelta(minutes=2), claimed_by="alive"
    )
    tick()
    assert Invitation.objects.get(pk=stuck.pk).status == Status.SENT
    assert Invitation.objects.get(pk=busy.pk).status == Status.SENDING
    assert [m.to[0] for m in mail.outbox] == [stuck.requester.email]


def test_a_temporary_refusal_is_retried_with_backoff_then_sent(frozen, smtp_script, settings):
    settings.ITPULSE_RETRY_BASE_SECONDS = 60
    inv = InvitationFactory()
    smtp_script.script.append(
        smtplib.SMTPRecipientsRefused({inv.requester.email: (451, b"4.3.0 try later")})
    )
    dispatch.dispatch_due(now=NOW)
    inv.refresh_from_db()
    assert inv.status == Status.PLANNED and inv.attempts == 1
    assert "451" in inv.reason
    assert NOW + timedelta(seconds=30) <= inv.send_after <= NOW + timedelta(seconds=90)
    frozen.move_to(inv.send_after)
    dispatch.dispatch_due(now=timezone.now())
    inv.refresh_from_db()
    assert inv.status == Status.SENT and inv.attempts == 2 and inv.reason == ""
    assert len(mail.outbox) == 1


def test_connection_refused_retries_the_whole_batch(frozen, smtp_script):
    InvitationFactory.create_batch(3)
    smtp_script.script.append(ConnectionRefusedError(111, "Connection refused"))
    outcome = dispatch.dispatch_due(now=NOW)
    assert (outcome.retried, outcome.sent) == (3, 0)
    assert set(Invitation.objects.values_list("status", flat=True)) == {Status.PLANNED}


def test_retries_end_in_failure_with_the_reason(frozen, smtp_script, settings):
    settings.ITPULSE_MAX_ATTEMPTS = 3
    inv = InvitationFactory()
    for _ in range(3):
        smtp_script.script.append(smtplib.SMTPDataError(421, b"4.7.0 too busy"))
        inv.refresh_from_db()
        frozen.move_to(max(inv.send_after, timezone.now()))
        dispatch.dispatch_due(now=timezone.now())
    inv.refresh_from_db()
    assert inv.status == Status.FAILED and inv.attempts == 3
    assert inv.reason == "gave up after 3 attempts: 421 4.7.0 too busy"


def test_a_permanent_refusal_fails_one_and_the_batch_goes_on(frozen, smtp_script):
    bad, good = InvitationFactory.create_batch(2)
    smtp_script.script.append(smtplib.SMTPRecipientsRefused({"x": (550, b"5.1.1 unknown")}))
    dispatch.dispatch_due(now=NOW)
    assert Invitation.objects.get(pk=bad.pk).status == Status.FAILED
    assert Invitation.objects.get(pk=good.pk).status == Status.SENT


def test_an_opted_out_requester_planned_earlier_gets_nothing(frozen):
    inv = InvitationFactory()
    inv.requester.opted_out_at = NOW
    inv.requester.save()
    dispatch.dispatch_due(now=NOW)
    inv.refresh_from_db()
    assert (inv.status, inv.reason) == (Status.SUPPRESSED, "opted out")
    assert mail.outbox == []


def test_the_link_works_while_the_invitation_is_still_sending(frozen, client):
    inv = InvitationFactory(status=Status.SENDING)
    token = inv.new_token(NOW)
    inv.save()
    assert client.get(reverse("survey", args=[token])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_api_answers_and_the_tick_sends_later(
    client, api_headers, team, celery_eager_off
):
    with mock.patch(
        "delivery.tasks.dispatch.apply_async",
        side_effect=OperationalError("Error 111 connecting to 127.0.0.1:6379"),
    ):
        response = client.post(
            "/api/v1/tickets/closed",
            {
                "source": "jira",
                "external_id": "SD-1",
                "team": "workplace",
                "requester": {"email": "ann@example.org"},
                "closed_at": "2026-11-25T10:00:00Z",
            },
            content_type="application/json",
            **api_headers,
        )
    assert response.status_code == 201
    assert response.json()["invitation"]["status"] == "planned"
    assert mail.outbox == []
    tick()  # the broker is back: the beat's tick finds the stored invitation
    assert Invitation.objects.get().status == Status.SENT and len(mail.outbox) == 1


def test_one_reminder_goes_out_when_unanswered(frozen, client):
    from datetime import timedelta as td

    from delivery.models import DeliveryRule
    from surveys.services import ticket_close
    from tests.factories import TeamFactory

    team = TeamFactory(slug="workplace")
    DeliveryRule.objects.create(team=team, reminder_after_days=3)
    ticket = ticket_close(
        source="jira",
        external_id="R-1",
        team=team,
        requester_email="ann@example.org",
        closed_at=NOW,
    ).ticket
    tick()
    assert len(mail.outbox) == 1
    frozen.shift(td(days=3, minutes=1))
    tick()
    tick()
    assert len(mail.outbox) == 2
    reminder = mail.outbox[1]
    assert reminder.subject.startswith("Reminder: ")
    assert reminder.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Both links work: the first e-mail's and the reminder's own.
    import re

    first = re.search(r"/s/([\w-]+)/", mail.outbox[0].body).group(1)
    second = re.search(r"/s/([\w-]+)/", reminder.body).group(1)
    assert first != second
    assert client.get(f"/s/{first}/").status_code == 200
    assert client.get(f"/s/{second}/").status_code == 200
    assert Invitation.objects.get(ticket=ticket).reminded_at is not None


def test_an_answered_survey_gets_no_reminder(frozen):
    from datetime import timedelta as td

    InvitationFactory(
        status=Status.ANSWERED,
        sent_at=NOW,
        remind_at=NOW + td(days=1),
        expires_at=NOW + td(days=14),
    )
    frozen.shift(td(days=2))
    tick()
    assert mail.outbox == []
