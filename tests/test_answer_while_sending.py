"""A person can answer before the worker's "sent" commit is visible (a known race)."""

import re

import pytest

from delivery import dispatch
from delivery import services as delivery_services
from surveys.emails import build_survey_email
from surveys.models import Invitation, Response

from .factories import InvitationFactory
from .test_rollups import recount, stored

# Hand-written SQL on the way: also run on SQLite (scripts/test.sh).
pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def test_an_answer_given_while_the_invitation_is_sending_counts(client, frozen, monkeypatch):
    invitation = InvitationFactory()

    def person_answers_at_once(inv, token):
        # The link is live; the person clicks before the sender records "sent".
        assert Invitation.objects.get(pk=inv.pk).status == Invitation.Status.SENDING
        page = client.get(f"/s/{token}/?score=9")
        assert page.status_code == 200 and re.search(r'value="9" checked', page.content.decode())
        assert client.post(f"/s/{token}/", {"score": "9"}).status_code == 302
        return build_survey_email(inv, token)

    monkeypatch.setattr(dispatch, "build_survey_email", person_answers_at_once)
    assert delivery_services.invitation_send(invitation_id=invitation.id)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ANSWERED and invitation.sent_at is not None
    assert Response.objects.get().score == 9
    assert stored() == recount()  # sent and answered both counted once
