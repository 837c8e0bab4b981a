"""The whole loop on real parts: API → Redis → Celery worker → SMTP → link → form → NPS."""

import re

import pytest
import requests

from surveys.api_tokens import api_token_create
from surveys.models import Invitation, Response
from tests.factories import ResponseFactory, TeamFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_closed_ticket_becomes_a_survey_and_moves_the_nps(
    live_server, real_broker, smtp_server, start_worker
):
    team = TeamFactory(name="Workplace", slug="workplace")
    for i in range(4):  # four earlier promoters: NPS is not shown until the fifth answer
        # Own ids: the factory's SD-<n> sequence reaches SD-123 once enough tests have run.
        ResponseFactory(
            invitation__ticket__team=team, invitation__ticket__external_id=f"OLD-{i}", score=10
        )
    _token, api_token = api_token_create(name="jira")
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {api_token}"
    start_worker(smtp_port=smtp_server.port, base_url=live_server.url)

    before = api.get(f"{live_server.url}/api/v1/teams/workplace/nps").json()
    assert (before["nps"], before["responses"]) == (None, 4)

    created = api.post(
        f"{live_server.url}/api/v1/tickets/closed",
        json={
            "source": "jira",
            "external_id": "SD-123",
            "subject": "Printer on floor 3",
            "team": "workplace",
            "agent": {"email": "sanne@example.org", "name": "Sanne"},
            "requester": {"email": "ann@example.org", "name": "Ann", "language": "en"},
            "closed_at": "2026-11-25T10:00:00Z",
        },
    )
    assert created.status_code == 201, created.text

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "ann@example.org"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    links = re.findall(rf"{re.escape(live_server.url)}/s/[\w-]+/\?score=\d+", text)
    assert len(links) == 11 and all(link in html for link in links)
    link = next(link for link in links if link.endswith("score=3"))

    # A mail scanner opening every link records nothing.
    for each in links:
        assert requests.get(each, timeout=10).status_code == 200
    assert not Response.objects.filter(invitation__ticket__external_id="SD-123").exists()

    person = requests.Session()
    page = person.get(link, timeout=10)
    assert 'value="3" checked' in page.text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = person.post(
        link.split("?")[0],
        data={
            "csrfmiddlewaretoken": csrf,
            "score": "3",
            "comment": "It took a week.",
        },
        timeout=10,
    )
    assert answer.status_code == 200 and "Thank you for your answer" in answer.text

    after = api.get(f"{live_server.url}/api/v1/teams/workplace/nps").json()
    assert after["responses"] == 5
    assert (after["promoters"], after["detractors"]) == (4, 1)
    assert after["nps"] == 60 and after["margin_of_error"] > 0
    assert Invitation.objects.get(ticket__external_id="SD-123").status == "answered"

    # The helpdesk retrying its webhook makes no second survey.
    again = api.post(
        f"{live_server.url}/api/v1/tickets/closed",
        json={
            "source": "jira",
            "external_id": "SD-123",
            "team": "workplace",
            "requester": {"email": "ann@example.org"},
            "closed_at": "2026-11-25T10:00:00Z",
        },
    )
    assert again.status_code == 200
    assert Invitation.objects.filter(ticket__external_id="SD-123").count() == 1
