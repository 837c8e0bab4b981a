"""The SMTP path's faster MIME rendering gives the same e-mail as Django's."""

import email
import email.policy

import pytest

from delivery.mime import use_classic_mime
from surveys.emails import build_survey_email

from .factories import InvitationFactory, RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db


def parse(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def test_it_renders_the_same_survey_e_mail(frozen, settings):
    settings.DEFAULT_FROM_EMAIL = "Servicedesk Ängelholm <itpulse@example.org>"
    requester = RequesterFactory(email="ann@example.org", name="Ann", language="nl")
    inv = InvitationFactory(ticket=TicketFactory(requester=requester, subject="Printer – 3e"))
    token = inv.new_token(inv.send_after)
    django_way = parse(build_survey_email(inv, token))
    classic = parse(use_classic_mime(build_survey_email(inv, token)))
    for header in ("Subject", "From", "To", "List-Unsubscribe", "List-Unsubscribe-Post"):
        assert classic[header] == django_way[header], header
    assert classic["Message-ID"] and classic["Date"]
    for kind in ("plain", "html"):
        assert (
            classic.get_body((kind,)).get_content().replace("\r\n", "\n").strip()
            == django_way.get_body((kind,)).get_content().strip()
        )
    assert classic.get_body(("plain",))["Content-Transfer-Encoding"] == "quoted-printable"
    # smtplib sends bytes unchanged: every line must already end in CRLF, and be short.
    raw = use_classic_mime(build_survey_email(inv, token)).message().as_bytes()
    lines = raw.split(b"\r\n")
    assert b"\n" not in b"".join(lines) and max(map(len, lines)) <= 998
