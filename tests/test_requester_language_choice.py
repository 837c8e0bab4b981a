"""A language picked on the survey page is the person's: their later e-mails come in it."""

import json

import pytest
from django.core import mail

from surveys.models import Requester

from .conftest import NOW
from .test_survey_requester import make_sent

pytestmark = pytest.mark.django_db


def close(client, api_headers, language):
    data = {
        "source": "jira",
        "external_id": "SD-200",
        "team": "workplace",
        "agent": {"email": "sanne@example.org", "name": "Sanne"},
        "requester": {"email": "ann@example.org", "language": language},
        "closed_at": "2026-11-25T10:00:00Z",
    }
    return client.post(
        "/api/v1/tickets/closed", json.dumps(data), content_type="application/json", **api_headers
    )


@pytest.fixture
def sent(frozen):
    invitation, token = make_sent(language="en")
    Requester.objects.filter(pk=invitation.requester_id).update(email="ann@example.org")
    return invitation, token


def test_answering_after_switching_remembers_the_language(client, sent):
    invitation, token = sent
    client.get(f"/s/{token}/?lang=nl")  # looking (or a link scanner) changes nothing
    requester = Requester.objects.get(pk=invitation.requester_id)
    assert (requester.language, requester.language_chosen_at) == ("en", None)
    client.post(f"/s/{token}/?lang=nl", {"score": "8"})
    requester.refresh_from_db()
    assert (requester.language, requester.language_chosen_at) == ("nl", NOW)


def test_answering_without_the_switch_keeps_the_helpdesks_language(client, sent):
    invitation, token = sent
    client.post(f"/s/{token}/", {"score": "8"})
    requester = Requester.objects.get(pk=invitation.requester_id)
    assert (requester.language, requester.language_chosen_at) == ("en", None)


def test_the_next_survey_comes_in_the_chosen_language_whatever_the_helpdesk_says(
    client, sent, api_headers, django_capture_on_commit_callbacks
):
    _invitation, token = sent
    client.post(f"/s/{token}/?lang=nl", {"score": "8"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # the dispatch, run in-process
        assert close(client, api_headers, language="en").status_code == 201
    assert Requester.objects.get(email="ann@example.org").language == "nl"
    [message] = mail.outbox
    assert message.subject.startswith("Hoe beoordeelt u")


def test_without_a_choice_the_helpdesk_still_sets_the_language(client, sent, api_headers):
    mail.outbox.clear()
    assert close(client, api_headers, language="nl").status_code == 201
    assert Requester.objects.get(email="ann@example.org").language == "nl"
