"""Addresses with a non-ASCII local part (chloé@…): sent with SMTPUTF8 when the SMTP server offers
it, otherwise refused with that reason, recorded as a permanent failure and shown on the delivery
page. Against a real SMTP server (aiosmtpd) with and without the extension."""

import pytest
from aiosmtpd.controller import Controller

from delivery import dispatch
from delivery.smtp import NEEDS_SMTPUTF8
from surveys.models import Invitation

from .conftest import NOW
from .e2e.conftest import Inbox, free_port
from .factories import InvitationFactory

pytestmark = pytest.mark.django_db


class Envelopes(Inbox):
    """Also keeps each envelope's recipients and whether it came with SMTPUTF8."""

    def __init__(self):
        super().__init__()
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        smtputf8 = "SMTPUTF8" in [option.upper() for option in envelope.mail_options]
        self.envelopes.append((list(envelope.rcpt_tos), smtputf8))
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(params=[True, False], ids=["smtputf8", "ascii-only"])
def server(request, settings):
    inbox = Envelopes()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=request.param
    )
    controller.start()
    # The backend EMAIL_URL=smtp://… selects (itpulse/settings.py).
    settings.MAILERS = {
        "default": {
            "BACKEND": "delivery.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    inbox.offers_smtputf8 = request.param
    yield inbox
    controller.stop()


def test_a_non_ascii_local_part_goes_with_smtputf8_or_fails_with_the_reason(
    server, frozen, client, carol
):
    chloe = InvitationFactory(ticket__requester__email="chloé.dubois@example.org")
    ann = InvitationFactory(ticket__requester__email="ann@example.org")
    dispatch.dispatch_due(now=NOW)
    chloe.refresh_from_db()
    ann.refresh_from_db()
    assert ann.status == Invitation.Status.SENT  # the rest of the batch goes on either way
    if server.offers_smtputf8:
        assert chloe.status == Invitation.Status.SENT
        assert sorted(server.envelopes) == [
            (["ann@example.org"], False),
            (["chloé.dubois@example.org"], True),
        ]
        [message] = [m for m in server.messages if "chloé" in m["To"]]
        assert message["To"] == "chloé.dubois@example.org"
        assert "/s/" in message.get_body(("plain",)).get_content()
        return
    assert (chloe.status, chloe.reason, chloe.attempts) == (
        Invitation.Status.FAILED,
        NEEDS_SMTPUTF8,
        1,
    )
    assert server.envelopes == [(["ann@example.org"], False)]
    client.force_login(carol)
    assert NEEDS_SMTPUTF8 in client.get("/staff/delivery/").content.decode()
