"""Bounces from any relay: real Postfix and Exchange delivery reports (tests/dsn/) in the bounce
mailbox suppress a hard-bouncing address, count a soft bounce, and are read once. These tests
drive the Maildir reader; tests/test_bounce_imap.py reads the same way over a real IMAP server."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from delivery import bounces
from delivery.bounces import bounces_collect
from delivery.models import Bounce, SuppressedAddress
from surveys.models import Invitation
from surveys.services import ticket_close

from .bouncemail import maildir, recipient, report, seen
from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bounce_box(settings, tmp_path):
    """An empty Maildir as ITPULSE_BOUNCE_MAILBOX (maildir:///…)."""
    path = tmp_path / "bounces"
    settings.ITPULSE_BOUNCE_MAILBOX = {"scheme": "maildir", "path": str(path)}
    return maildir(path)


def sent_to(address, team=None):
    requester = RequesterFactory(email=address)
    ticket = TicketFactory(requester=requester, **({"team": team} if team else {}))
    return InvitationFactory(ticket=ticket, status="sent", sent_at=NOW)


@pytest.mark.parametrize(
    ("sample", "diagnostic"),
    [
        ("lhost-postfix-14", 'X-Postfix; unknown user: "kijitora"'),
        ("lhost-exchange2007-07", "smtp;550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"),
    ],
)
def test_a_hard_bounce_suppresses_the_address_and_fails_the_survey(
    bounce_box, team, frozen, sample, diagnostic
):
    inv = sent_to(recipient(sample), team)
    bounce_box.add(report(sample, inv.id))
    bounces_collect.delay()
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.FAILED
    assert inv.reason == f"bounced: relay: 5.1.1 {diagnostic}"
    suppressed = SuppressedAddress.objects.get()
    assert (suppressed.email, suppressed.reason) == (recipient(sample), "bounced")
    bounce = Bounce.objects.get()
    assert (bounce.invitation, bounce.status, bounce.is_hard) == (inv, "5.1.1", True)
    # The next ticket of that requester is not surveyed.
    closed = ticket_close(
        source="jira",
        external_id="X-2",
        team=team,
        requester_email=recipient(sample),
        closed_at=NOW,
    )
    later = Invitation.objects.get(ticket=closed.ticket)
    assert (later.status, later.reason) == ("suppressed", "bounced")
    assert mail.outbox == []


def test_a_bounced_reminder_suppresses_too(bounce_box, frozen):
    inv = sent_to(recipient("lhost-postfix-14"))
    bounce_box.add(report("lhost-postfix-14", inv.id, reminder=True))
    bounces_collect.delay()
    assert SuppressedAddress.objects.get().email == recipient("lhost-postfix-14")


@pytest.mark.parametrize(
    ("sample", "action", "status"),
    [("lhost-postfix-15", "failed", "4.4.1"), ("rfc3464-07", "delayed", "4.4.0")],
)
def test_a_soft_bounce_is_counted_and_suppresses_nothing(
    bounce_box, frozen, sample, action, status
):
    inv = sent_to(recipient(sample))
    bounce_box.add(report(sample, inv.id))
    bounces_collect.delay()
    bounce = Bounce.objects.get()
    assert (bounce.invitation, bounce.action, bounce.status) == (inv, action, status)
    assert bounce.is_hard is False
    assert not SuppressedAddress.objects.exists()
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.SENT


def test_each_report_is_handled_once(bounce_box, frozen):
    inv = sent_to(recipient("lhost-postfix-15"))
    # The relay's report, and a second copy of it (delivered twice, or read again after a crash
    # between recording it and marking it seen).
    bounce_box.add(report("lhost-postfix-15", inv.id))
    bounce_box.add(report("lhost-postfix-15", inv.id))
    bounces_collect.delay()
    assert Bounce.objects.count() == 1
    assert seen(bounce_box) == [True, True]
    assert all(key_in_cur(bounce_box, key) for key in bounce_box.iterkeys())
    bounces_collect.delay()
    assert Bounce.objects.count() == 1


def key_in_cur(box, key):
    return box.get_message(key).get_subdir() == "cur"


def test_other_mail_is_marked_seen_and_changes_nothing(bounce_box, frozen):
    inv = sent_to(recipient("lhost-postfix-14"))
    forged = report("lhost-postfix-14", inv.id).replace(b"itpulse.s", b"itpulse.s9")
    bounce_box.add(report("lhost-postfix-14"))  # a bounce of someone else's message
    bounce_box.add(forged)  # names an invitation, without its tag
    bounce_box.add(b"From: ann@example.org\r\nSubject: Out of office\r\n\r\nBack on Monday.\r\n")
    bounces_collect.delay()
    assert not Bounce.objects.exists() and not SuppressedAddress.objects.exists()
    assert seen(bounce_box) == [True, True, True]


def test_without_a_mailbox_nothing_is_read(settings, tmp_path):
    settings.ITPULSE_BOUNCE_MAILBOX = {}
    bounces_collect.delay()
    assert not Bounce.objects.exists()


def test_a_missing_maildir_is_a_warning_not_a_crash(settings, tmp_path, caplog):
    settings.ITPULSE_BOUNCE_MAILBOX = {"scheme": "maildir", "path": str(tmp_path / "none")}
    bounces_collect.delay()
    assert "bounce mailbox not read: no Maildir at" in caplog.text


def test_bounce_reports_go_with_the_mail_retention(frozen, settings):
    inv = sent_to("ann@example.org")
    for days, key in ((settings.ITPULSE_MAIL_RETENTION_DAYS + 1, "old"), (1, "new")):
        Bounce.objects.create(
            invitation=inv,
            report_key=key,
            action="delayed",
            status="4.4.1",
            is_hard=False,
            received_at=NOW - timedelta(days=days),
        )
    call_command("apply_retention", verbosity=0)
    assert list(Bounce.objects.values_list("report_key", flat=True)) == ["new"]


def test_a_message_that_does_not_parse_does_not_block_the_others(bounce_box, frozen, monkeypatch):
    inv = sent_to(recipient("lhost-postfix-14"))
    bounce_box.add(b"Subject: broken\r\n\r\nnothing\r\n")
    bounce_box.add(report("lhost-postfix-14", inv.id))
    real = bounces.report_read

    def choking(raw):
        if b"broken" in raw:
            raise LookupError("unknown encoding: x-klingon")
        return real(raw)

    monkeypatch.setattr(bounces, "report_read", choking)
    bounces_collect.delay()
    assert SuppressedAddress.objects.get().email == recipient("lhost-postfix-14")
    assert seen(bounce_box) == [True, True]
