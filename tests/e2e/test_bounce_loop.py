"""Bounces from any relay, on real parts: the worker sends a survey over SMTP, a relay's real
Postfix report about that very e-mail lands in an IMAP mailbox (pymap, a real server process),
and the worker, reading ITPULSE_BOUNCE_MAILBOX, suppresses the address."""

import time
from urllib.parse import quote

import pytest

from delivery.bounces import bounces_collect
from delivery.models import Bounce, SuppressedAddress
from delivery.tasks import dispatch
from surveys.models import Invitation
from tests.bouncemail import HERE, SAMPLES, imap_server, maildir, recipient
from tests.factories import InvitationFactory, RequesterFactory, TicketFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "bounce:pw@1"


def wait_until(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout} s for {what}"
        time.sleep(0.2)  # polling the worker's writes; nothing in the test waits on time


def test_a_relays_bounce_of_a_sent_survey_suppresses_the_address(
    live_server, real_broker, smtp_server, start_worker, tmp_path
):
    sample = "lhost-postfix-14"
    invitation = InvitationFactory(
        ticket=TicketFactory(requester=RequesterFactory(email=recipient(sample)))
    )
    with imap_server(tmp_path, user="bounces", password=PASSWORD) as (port, path):
        start_worker(
            smtp_port=smtp_server.port,
            base_url=live_server.url,
            ITPULSE_BOUNCE_MAILBOX=f"imap://bounces:{quote(PASSWORD, safe='')}@127.0.0.1:{port}/",
        )
        dispatch.delay()
        [sent] = smtp_server.wait_for(1)
        wait_until(
            lambda: Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.SENT,
            "the survey to be recorded as sent",
        )

        # The relay returns that e-mail: its real report, about the Message-ID it really had.
        original_id, _address = SAMPLES[sample]
        raw = (HERE / f"{sample}.eml").read_bytes()
        box = maildir(path, raw.replace(original_id.encode(), sent["Message-ID"].encode()))
        bounces_collect.delay()
        wait_until(lambda: SuppressedAddress.objects.exists(), "the address to be suppressed")

        assert SuppressedAddress.objects.get().email == recipient(sample)
        invitation.refresh_from_db()
        assert invitation.status == Invitation.Status.FAILED
        assert invitation.reason.startswith("bounced: relay: 5.1.1")
        assert Bounce.objects.get().invitation_id == invitation.pk
        key = next(box.iterkeys())
        wait_until(lambda: "S" in box.get_message(key).get_flags(), "the report to be seen")
