"""A survey e-mail carries a Message-ID that names its invitation, opaquely and unforgeably, so
that a relay's bounce finds the invitation again (delivery/bounces.py)."""

import email
import email.policy

import pytest

from delivery.mime import use_classic_mime
from surveys.emails import build_survey_email
from surveys.messageids import invitation_id_from, invitation_message_id

from .factories import InvitationFactory, RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db


def headers(message):
    return email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)


def test_the_survey_and_its_reminder_carry_our_message_ids(frozen):
    requester = RequesterFactory(email="ann.smith@example.org", name="Ann Smith")
    inv = InvitationFactory(ticket=TicketFactory(requester=requester))
    token = inv.new_token(inv.send_after)
    survey = build_survey_email(inv, token)
    reminder = build_survey_email(inv, token, reminder=True)
    for rendered in (headers(survey), headers(use_classic_mime(build_survey_email(inv, token)))):
        # One Message-ID, not Django's or the classic renderer's random one beside ours.
        assert rendered.get_all("Message-ID") == [invitation_message_id(inv.id)]
    reminder_id = headers(reminder)["Message-ID"]
    assert (
        reminder_id
        == invitation_message_id(inv.id, reminder=True)
        != survey.extra_headers["Message-ID"]
    )
    for message_id in (survey.extra_headers["Message-ID"], reminder_id):
        assert invitation_id_from(message_id) == inv.id
        assert "ann" not in message_id.lower() and "example.org" not in message_id


def test_someone_elses_or_a_forged_message_id_names_no_invitation(settings):
    ours = invitation_message_id(42)
    assert invitation_id_from(ours.replace("s42.", "s43.")) is None  # the tag is for 42
    assert invitation_id_from("<20150213024813.DE9FF20C16@2jo.example.jp>") is None
    assert invitation_id_from("") is None
    # The host part does not matter (a renamed server), the key does.
    assert invitation_id_from(ours.rpartition("@")[0] + "@other.example.net>") == 42
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "rotated-" + settings.SECRET_KEY
    assert invitation_id_from(ours) == 42
    settings.SECRET_KEY_FALLBACKS = []
    assert invitation_id_from(ours) is None
