"""The bounce mailbox over IMAP: ITPULSE_BOUNCE_MAILBOX as an operator writes it, read from a
real IMAP server process (pymap, serving a Maildir), reports marked \\Seen once handled, and the
password in no log line and no start-up error."""

import imaplib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from delivery.bounces import bounces_collect
from delivery.models import Bounce, SuppressedAddress
from itpulse import settings as itpulse_settings

from .bouncemail import imap_server, maildir, recipient, report
from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, TicketFactory

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "s3cret:/@pw"  # what a URL must escape: %3A %2F %40
URL_PASSWORD = "s3cret%3A%2F%40pw"


def parsed(monkeypatch, url):
    monkeypatch.setenv("ITPULSE_BOUNCE_MAILBOX", url)
    return itpulse_settings._bounce_mailbox("ITPULSE_BOUNCE_MAILBOX")


def test_the_mailbox_url_is_parsed(monkeypatch):
    assert parsed(monkeypatch, f"imaps://bounce%40example.org:{URL_PASSWORD}@mail.example.org") == {
        "scheme": "imaps",
        "host": "mail.example.org",
        "port": 993,
        "user": "bounce@example.org",
        "password": PASSWORD,
        "folder": "INBOX",
    }
    starttls = parsed(monkeypatch, "imap+tls://b:pw@mail.example.org/Bounces%202026")
    assert (starttls["port"], starttls["folder"]) == (143, "Bounces 2026")
    local = parsed(monkeypatch, "maildir:///var/mail/bounces")
    assert local == {"scheme": "maildir", "path": "/var/mail/bounces"}
    assert parsed(monkeypatch, "") == {}


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (f"pop3://b:{URL_PASSWORD}@mail.example.org", "must start with imaps://"),
        (f"imaps://:{URL_PASSWORD}@mail.example.org/INBOX", "needs a user and a host"),
        (f"imaps://b:{URL_PASSWORD}@mail.example.org:nine/INBOX", "port that is not a number"),
        ("maildir://", "needs a path"),
    ],
)
def test_a_bad_mailbox_url_is_refused_without_quoting_the_password(monkeypatch, url, says):
    with pytest.raises(ImproperlyConfigured, match=says) as refused:
        parsed(monkeypatch, url)
    assert "s3cret" not in str(refused.value)


def settings_in_a_process(**env):
    """The settings as a deployed process reads them from its environment alone."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_BEAT_SCHEDULE.get('collect-bounces', {}).get('task'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "itpulse.settings",
            "SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://itpulse@db.example.org:5432/itpulse",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_beat_reads_the_mailbox_only_when_there_is_one():
    assert settings_in_a_process().stdout.strip() == "None"
    url = f"imaps://b:{URL_PASSWORD}@mail.example.org/INBOX"
    configured = settings_in_a_process(ITPULSE_BOUNCE_MAILBOX=url)
    assert configured.stdout.strip() == "delivery.bounces.bounces_collect", configured.stderr
    refused = settings_in_a_process(ITPULSE_BOUNCE_MAILBOX=url.replace("imaps", "pop3"))
    assert refused.returncode != 0
    assert "ITPULSE_BOUNCE_MAILBOX must start with imaps://" in refused.stderr
    assert "s3cret" not in refused.stderr + refused.stdout


@pytest.fixture
def imap(tmp_path):
    with imap_server(tmp_path, user="bounces", password=PASSWORD) as (port, path):
        yield port, maildir(path)


def unseen_over_imap(port):
    client = imaplib.IMAP4("127.0.0.1", port)
    try:
        client.login("bounces", PASSWORD)
        client.select("INBOX")
        return client.uid("SEARCH", "UNSEEN")[1][0].split()
    finally:
        client.logout()


@pytest.mark.django_db
def test_reports_are_read_over_imap_once(imap, monkeypatch, settings, frozen, caplog):
    port, box = imap
    caplog.set_level("DEBUG")
    hard = InvitationFactory(
        ticket=TicketFactory(requester=RequesterFactory(email=recipient("lhost-postfix-14"))),
        status="sent",
        sent_at=NOW,
    )
    soft = InvitationFactory(
        ticket=TicketFactory(requester=RequesterFactory(email=recipient("rfc3464-07"))),
        status="sent",
        sent_at=NOW,
    )
    box.add(report("lhost-postfix-14", hard.id))
    box.add(report("rfc3464-07", soft.id))
    box.add(report("lhost-exchange2007-07"))  # someone else's bounce
    settings.ITPULSE_BOUNCE_MAILBOX = parsed(
        monkeypatch, f"imap://bounces:{URL_PASSWORD}@127.0.0.1:{port}/INBOX"
    )
    assert len(unseen_over_imap(port)) == 3
    bounces_collect.delay()
    assert SuppressedAddress.objects.get().email == recipient("lhost-postfix-14")
    assert sorted(Bounce.objects.values_list("status", "is_hard")) == [
        ("4.4.0", False),
        ("5.1.1", True),
    ]
    assert unseen_over_imap(port) == []
    bounces_collect.delay()
    assert Bounce.objects.count() == 2
    assert "bounce mailbox: 1 hard, 1 soft, 1 unmatched" in caplog.text
    assert "s3cret" not in caplog.text


@pytest.mark.django_db
def test_a_wrong_password_is_a_warning_that_does_not_quote_it(imap, settings, caplog):
    port, box = imap
    box.add(report("lhost-postfix-14"))
    wrong = "not-" + PASSWORD
    settings.ITPULSE_BOUNCE_MAILBOX = {
        "scheme": "imap",
        "host": "127.0.0.1",
        "port": port,
        "user": "bounces",
        "password": wrong,
        "folder": "INBOX",
    }
    bounces_collect.delay()
    assert f"bounce mailbox not read: imap://127.0.0.1:{port}/INBOX: " in caplog.text
    assert wrong not in caplog.text and "s3cret" not in caplog.text
    assert len(unseen_over_imap(port)) == 1


@pytest.mark.django_db
def test_starttls_asked_for_is_never_skipped(imap, settings, caplog):
    """imap+tls:// logs in only after STARTTLS: a server that does not offer it (this one runs
    with --no-tls) gets no password in the clear, and nothing is read."""
    port, box = imap
    box.add(report("lhost-postfix-14"))
    settings.ITPULSE_BOUNCE_MAILBOX = {
        "scheme": "imap+tls",
        "host": "127.0.0.1",
        "port": port,
        "user": "bounces",
        "password": PASSWORD,
        "folder": "INBOX",
    }
    bounces_collect.delay()
    assert "bounce mailbox not read: imap+tls://127.0.0.1" in caplog.text
    assert "TLS not supported by server" in caplog.text
    assert len(unseen_over_imap(port)) == 1
