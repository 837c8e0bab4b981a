from datetime import timedelta

import pytest

from surveys.models import Invitation, Response

from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(frozen):
    """A sent invitation and its link token."""
    inv = InvitationFactory(status=Invitation.Status.SENT, sent_at=NOW)
    token = inv.new_token(NOW)
    inv.save()
    return inv, token


def test_a_score_link_preselects_the_score_and_records_nothing(client, sent):
    _inv, token = sent
    response = client.get(f"/s/{token}/?score=3")
    assert response.status_code == 200
    assert b'value="3" checked' in response.content
    assert b"csrfmiddlewaretoken" in response.content
    assert not Response.objects.exists()
    assert Invitation.objects.get().status == Invitation.Status.SENT


def test_survey_pages_are_private(client, sent):
    _inv, token = sent
    response = client.get(f"/s/{token}/?score=3")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_post_stores_the_answer_and_redirects_to_thanks(client, sent):
    inv, token = sent
    response = client.post(f"/s/{token}/", {"score": "9", "comment": "Quick!"})
    assert response.status_code == 302 and response["Location"] == f"/s/{token}/thanks/"
    answer = Response.objects.get()
    assert (answer.score, answer.comment, answer.team_id) == (9, "Quick!", inv.team_id)
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.ANSWERED and inv.answered_at == NOW
    thanks = client.get(response["Location"])
    assert b"Change my answer" in thanks.content


def test_the_answer_can_be_changed_while_the_link_is_valid(client, sent, frozen):
    _inv, token = sent
    client.post(f"/s/{token}/", {"score": "3", "comment": "slow"})
    frozen.shift(timedelta(days=2))
    client.post(f"/s/{token}/", {"score": "8", "comment": "fixed after all"})
    answer = Response.objects.get()
    assert (answer.score, answer.comment) == (8, "fixed after all")
    assert answer.created_at == NOW and answer.updated_at == NOW + timedelta(days=2)


def test_a_missing_score_is_a_form_error(client, sent):
    _inv, token = sent
    response = client.post(f"/s/{token}/", {"comment": "hmm"})
    assert response.status_code == 200
    assert b"Please choose a score" in response.content
    assert not Response.objects.exists()


@pytest.mark.parametrize("score", ["11", "-1", "abc"])
def test_an_out_of_range_score_is_rejected(client, sent, score):
    _inv, token = sent
    assert client.post(f"/s/{token}/", {"score": score}).status_code == 200
    assert not Response.objects.exists()


def test_an_expired_link_is_410_and_takes_no_answer(client, sent, frozen):
    _inv, token = sent
    frozen.shift(timedelta(days=15))
    assert client.get(f"/s/{token}/?score=9").status_code == 410
    assert client.post(f"/s/{token}/", {"score": "9"}).status_code == 410
    assert not Response.objects.exists()


def test_an_unknown_link_is_a_friendly_404(client, db):
    response = client.get("/s/not-a-real-token/?score=9")
    assert response.status_code == 404
    assert b"We do not know this link" in response.content


def test_the_page_speaks_the_requesters_language(client, frozen):
    inv = InvitationFactory(
        status=Invitation.Status.SENT,
        ticket=TicketFactory(requester=RequesterFactory(language="nl")),
    )
    token = inv.new_token(NOW)
    inv.save()
    response = client.get(f"/s/{token}/")
    assert response["Content-Language"] == "nl"


def test_the_form_is_csrf_protected(sent):
    from django.test import Client

    _inv, token = sent
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(f"/s/{token}/", {"score": "9"})
    assert refused.status_code == 403
    assert not Response.objects.exists()
    # A requester whose browser blocks cookies learns what to do, in their language.
    assert b"allow cookies" in refused.content
    dutch = strict.post(f"/s/{token}/", {"score": "9"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert dutch.status_code == 403 and b"Sta cookies toe" in dutch.content
