"""A periodic survey goes out through the delivery engine: claimed batches on one connection,
retries with backoff, failures with their reason, reclaim of dead workers, and a relaunch that
resumes an interrupted campaign instead of doing nothing."""

import smtplib
from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.core import mail
from django.test import RequestFactory
from django.utils import timezone

from campaigns.admin import CampaignAdmin
from campaigns.models import Campaign, CampaignInvitation
from campaigns.sending import KIND
from campaigns.services import campaign_launch
from delivery import engine
from delivery.tasks import tick

from .conftest import NOW
from .factories import RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db
Status = CampaignInvitation.Status


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(name="Yearly", sample_size=1000, seed=1)


def people(count: int) -> None:
    for _ in range(count):
        TicketFactory(requester=RequesterFactory(), closed_at=NOW - timedelta(days=3))


def statuses() -> dict[str, int]:
    rows = CampaignInvitation.objects.values_list("status", flat=True)
    return {status: list(rows).count(status) for status in set(rows)}


def test_the_launch_sends_everyone_once_in_batches_on_one_connection_each(
    campaign, frozen, smtp_script, settings, django_capture_on_commit_callbacks
):
    settings.ITPULSE_DISPATCH_BATCH = 4
    people(10)
    with django_capture_on_commit_callbacks(execute=True):
        assert campaign_launch(campaign=campaign) == 10
    # The launch's nudge sent a batch, which, being full, nudged the next (eager in tests).
    assert statuses() == {"sent": 10}
    assert smtp_script.opened == 3  # 4 + 4 + 2: one connection per claimed batch
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        CampaignInvitation.objects.values_list("requester__email", flat=True)
    )


def test_a_temporary_refusal_is_retried_with_backoff_then_sent(
    campaign, frozen, smtp_script, settings
):
    settings.ITPULSE_RETRY_BASE_SECONDS = 60
    people(1)
    campaign_launch(campaign=campaign)
    smtp_script.script.append(smtplib.SMTPRecipientsRefused({"x": (451, b"4.3.0 try later")}))
    engine.dispatch_due(KIND, now=NOW)
    invitation = CampaignInvitation.objects.get()
    assert (invitation.status, invitation.attempts) == (Status.PLANNED, 1)
    assert invitation.reason == "retry 1/5: 451 4.3.0 try later"
    assert NOW + timedelta(seconds=30) <= invitation.send_after <= NOW + timedelta(seconds=90)
    assert engine.dispatch_due(KIND, now=NOW).claimed == 0  # not before its time
    frozen.move_to(invitation.send_after)
    engine.dispatch_due(KIND, now=timezone.now())
    invitation.refresh_from_db()
    assert (invitation.status, invitation.attempts, invitation.reason) == (Status.SENT, 2, "")
    assert len(mail.outbox) == 1


def test_a_permanent_refusal_fails_with_the_reason_and_the_rest_goes_on(
    campaign, frozen, smtp_script
):
    people(2)
    campaign_launch(campaign=campaign)
    smtp_script.script.append(smtplib.SMTPRecipientsRefused({"x": (550, b"5.1.1 unknown")}))
    engine.dispatch_due(KIND, now=NOW)
    assert statuses() == {"failed": 1, "sent": 1}
    assert CampaignInvitation.objects.get(status=Status.FAILED).reason == "550 5.1.1 unknown"


def test_someone_who_opted_out_after_the_launch_gets_nothing(campaign, frozen):
    people(1)
    campaign_launch(campaign=campaign)
    invitation = CampaignInvitation.objects.get()
    invitation.requester.opted_out_at = NOW
    invitation.requester.save()
    engine.dispatch_due(KIND, now=NOW)
    invitation.refresh_from_db()
    assert (invitation.status, invitation.reason) == (Status.SUPPRESSED, "opted out")
    assert mail.outbox == []


def test_the_beat_tick_takes_back_a_dead_workers_rows_and_sends_them(campaign, frozen, settings):
    settings.ITPULSE_SENDING_TIMEOUT = 600
    people(2)
    campaign_launch(campaign=campaign)
    dead, alive = CampaignInvitation.objects.all()
    CampaignInvitation.objects.filter(pk=dead.pk).update(
        status=Status.SENDING, claimed_by="dead", claimed_at=NOW - timedelta(minutes=11)
    )
    CampaignInvitation.objects.filter(pk=alive.pk).update(
        status=Status.SENDING, claimed_by="alive", claimed_at=NOW - timedelta(minutes=2)
    )
    tick()
    assert CampaignInvitation.objects.get(pk=dead.pk).status == Status.SENT
    assert CampaignInvitation.objects.get(pk=alive.pk).status == Status.SENDING
    assert [m.to[0] for m in mail.outbox] == [dead.requester.email]


def test_launching_an_interrupted_campaign_again_resumes_it(
    campaign, frozen, settings, django_capture_on_commit_callbacks, django_user_model
):
    settings.ITPULSE_SENDING_TIMEOUT = 600
    people(5)
    campaign_launch(campaign=campaign)  # its nudge never ran: the worker died, say
    first, *_rest = CampaignInvitation.objects.all()
    CampaignInvitation.objects.filter(pk=first.pk).update(
        status=Status.SENDING, claimed_by="dead", claimed_at=NOW - timedelta(minutes=11)
    )
    admin = CampaignAdmin(Campaign, site)
    request = RequestFactory().post("/")
    request.user = django_user_model(is_superuser=True)
    sent_messages = []
    admin.message_user = lambda request, message, level: sent_messages.append(message)
    with django_capture_on_commit_callbacks(execute=True):
        admin.launch(request, Campaign.objects.filter(pk=campaign.pk))
    assert sent_messages == ["Yearly: already launched; 5 invitations still to send."]
    assert statuses() == {"sent": 5}
    assert len(mail.outbox) == 5
    # A second launch finds nothing left, and asks nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        admin.launch(request, Campaign.objects.filter(pk=campaign.pk))
    assert sent_messages[-1] == "Yearly: already launched; 0 invitations still to send."
    assert len(mail.outbox) == 5
