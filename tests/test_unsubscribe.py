"""Opting out from a survey link, also by a mail client's one-click POST (RFC 8058)."""

import re

import pytest
from django.test import Client

from surveys.models import Invitation, Requester

from .conftest import NOW
from .factories import InvitationFactory, TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(frozen):
    inv = InvitationFactory(status=Invitation.Status.SENT, sent_at=NOW)
    token = inv.new_token(NOW)
    inv.save()
    return inv, token


def test_the_confirm_page_changes_nothing(client, sent):
    inv, token = sent
    response = client.get(f"/s/{token}/unsubscribe/")
    assert response.status_code == 200
    assert "Stop sending me surveys" in response.content.decode()
    assert not Requester.objects.get(pk=inv.requester_id).is_opted_out


def test_a_one_click_post_without_cookies_or_csrf_opts_out(sent):
    inv, token = sent
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        f"/s/{token}/unsubscribe/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200  # RFC 8058: no redirect
    assert "You get no more surveys" in response.content.decode()
    assert Requester.objects.get(pk=inv.requester_id).opted_out_at == NOW
    # Repeating it keeps the first time and still answers 200.
    assert mail_client.post(f"/s/{token}/unsubscribe/").status_code == 200


def test_opting_out_suppresses_surveys_not_yet_sent(client, sent):
    inv, token = sent
    waiting = InvitationFactory(ticket=TicketFactory(requester=inv.requester))
    client.post(f"/s/{token}/unsubscribe/")
    waiting.refresh_from_db()
    assert waiting.status == Invitation.Status.SUPPRESSED and waiting.reason == "opted out"


def test_an_opted_out_link_has_its_own_page_and_can_resubscribe(sent):
    inv, token = sent
    person = Client(enforce_csrf_checks=True)
    person.post(f"/s/{token}/unsubscribe/")
    page = person.get(f"/s/{token}/?score=9")
    html = page.content.decode()
    assert page.status_code == 200 and "You get no more surveys" in html
    assert 'name="score"' not in html
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    # Resubscribing is a normal CSRF-protected form.
    assert person.post(f"/s/{token}/resubscribe/").status_code == 403
    again = person.post(f"/s/{token}/resubscribe/", {"csrfmiddlewaretoken": csrf})
    assert again.status_code == 200 and "You will get surveys again" in again.content.decode()
    assert not Requester.objects.get(pk=inv.requester_id).is_opted_out
    assert b'name="score"' in person.get(f"/s/{token}/").content


def test_an_unknown_unsubscribe_link_is_a_404(client, db):
    assert client.post("/s/not-a-token/unsubscribe/").status_code == 404
