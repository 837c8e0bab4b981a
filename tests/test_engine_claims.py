"""The delivery engine's claims, for every kind (here: periodic-survey invitations): two workers
claiming at once take different rows without waiting, and a worker that outlived its claim
cannot touch rows that another worker holds now."""

import smtplib
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction

from campaigns.models import Campaign, CampaignInvitation
from campaigns.sending import KIND
from delivery import engine

from .conftest import NOW
from .factories import RequesterFactory

Status = CampaignInvitation.Status


def planned(count: int) -> list[int]:
    campaign = Campaign.objects.create(name="Yearly", status=Campaign.Status.RUNNING)
    return [
        CampaignInvitation.objects.create(
            campaign=campaign, requester=RequesterFactory(), send_after=NOW
        ).pk
        for _ in range(count)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_worker_claims_past_rows_another_is_claiming_without_waiting():
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    ids = planned(6)
    locked, released = threading.Event(), threading.Event()

    def another_worker_mid_claim():
        # Holds the first three rows' locks, as a claim does between its SELECT and commit.
        try:
            with transaction.atomic():
                list(CampaignInvitation.objects.filter(id__in=ids[:3]).select_for_update())
                locked.set()
                released.wait(10)
        finally:
            connections.close_all()

    other = threading.Thread(target=another_worker_mid_claim)
    other.start()
    try:
        assert locked.wait(10)
        with connection.cursor() as cursor:
            # A claim that waited for the lock would fail here instead of hanging the test.
            cursor.execute("SET lock_timeout = '2s'")
        claim = engine.claim_due(KIND, now=NOW, limit=10)
        assert sorted(row.pk for row in claim.rows) == ids[3:]
    finally:
        released.set()
        other.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


@pytest.mark.django_db
def test_a_worker_that_outlived_its_claim_cannot_touch_rows_another_holds_now(
    smtp_script, settings
):
    settings.ITPULSE_SENDING_TIMEOUT = 600
    planned(3)
    slow = engine.claim_due(KIND, now=NOW, limit=10)  # then stalls past the timeout
    later = NOW + timedelta(minutes=11)
    assert engine.reclaim_stuck(KIND, now=later) == 3
    current = engine.claim_due(KIND, now=later, limit=10)
    assert len(current.rows) == 3
    # The stalled worker wakes up to a refused connection: it records a retry for its rows
    # and puts back what it did not send, but the rows are the current claim's now.
    smtp_script.script.append(ConnectionRefusedError(111, "Connection refused"))
    outcome = engine.send_claimed(KIND, slow, now=later)
    assert outcome.retried == 0
    rows = CampaignInvitation.objects.all()
    assert {(row.status, row.claimed_by, row.attempts) for row in rows} == {
        (Status.SENDING, current.mark, 0)
    }
    # Its connection closed and the current claim goes on undisturbed.
    assert engine.send_claimed(KIND, current, now=later).sent == 3
    assert set(rows.values_list("status", flat=True)) == {Status.SENT}


@pytest.mark.django_db
def test_a_refusal_for_one_recipient_is_recorded_on_that_row_only(smtp_script):
    first, second = planned(2)
    smtp_script.script.append(smtplib.SMTPRecipientsRefused({"x": (550, b"5.1.1 unknown")}))
    engine.dispatch_due(KIND, now=NOW)
    assert CampaignInvitation.objects.get(pk=first).status == Status.FAILED
    assert CampaignInvitation.objects.get(pk=second).status == Status.SENT
