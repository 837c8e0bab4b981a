"""Response rate (answered / surveys sent in the period) beside every score: the API's nps and
trend, the agent's feedback pages and the personal digest (the team page and the lead's digest
had it already)."""

from datetime import timedelta

import pytest
from django.core import mail

from accounts.models import Preference
from delivery.digests import digests_tick
from surveys.models import Agent, Invitation

from .conftest import NOW
from .factories import InvitationFactory, ResponseFactory

pytestmark = pytest.mark.django_db

NPS_URL = "/api/v1/teams/workplace/nps"


def answered(team, n, days_ago=2, **extra):
    when = NOW - timedelta(days=days_ago)
    for _ in range(n):
        ResponseFactory(
            invitation__ticket__team=team, invitation__sent_at=when, created_at=when, **extra
        )


def unanswered(team, n, days_ago=2, **extra):
    for _ in range(n):
        InvitationFactory(
            ticket__team=team,
            status=Invitation.Status.SENT,
            sent_at=NOW - timedelta(days=days_ago),
            **extra,
        )


def test_the_score_api_gives_the_response_rate(client, team, api_headers, frozen):
    answered(team, 4)
    unanswered(team, 6)
    unanswered(team, 5, days_ago=40)  # before since
    data = client.get(NPS_URL + "?since=2026-11-01", **api_headers).json()
    assert (data["response_rate"], data["sent"], data["answered"]) == (0.4, 10, 4)


def test_no_survey_sent_is_a_null_rate(client, team, api_headers, frozen):
    data = client.get(NPS_URL, **api_headers).json()
    assert (data["response_rate"], data["sent"]) == (None, 0)


def test_each_trend_point_has_its_rate(client, team, api_headers, frozen):
    answered(team, 3)
    unanswered(team, 1)
    url = "/api/v1/teams/workplace/trend?interval=week&since=2026-11-16&until=2026-11-25"
    points = client.get(url, **api_headers).json()
    assert [(p["period_start"], p["response_rate"]) for p in points] == [
        ("2026-11-16", None),
        ("2026-11-23", 0.75),
    ]


def test_a_sliced_rate_counts_the_slices_surveys(client, team, api_headers, frozen):
    answered(team, 6, invitation__ticket__channel="phone")
    unanswered(team, 2, ticket__channel="phone")
    unanswered(team, 12, ticket__channel="email")
    data = client.get(NPS_URL + "?channel=phone", **api_headers).json()
    assert (data["response_rate"], data["sent"], data["answered"]) == (0.75, 8, 6)


def test_a_withheld_score_keeps_its_rate(client, team, api_headers, frozen, settings):
    settings.ITPULSE_MIN_GROUP = 5
    answered(team, 2, invitation__ticket__priority="urgent")
    unanswered(team, 2, ticket__priority="urgent")
    data = client.get(NPS_URL + "?priority=urgent", **api_headers).json()
    assert data["withheld"] is True and data["response_rate"] == 0.5


@pytest.fixture
def daves_surveys(dave, team):
    agent = Agent.objects.get(user=dave)
    answered(team, 3, invitation__ticket__agent=agent)
    unanswered(team, 1, ticket__agent=agent)
    unanswered(team, 2, days_ago=120, ticket__agent=agent)  # before the page's 90 days
    unanswered(team, 5)  # another agent's
    return agent


def test_my_feedback_shows_my_response_rate(client, dave, daves_surveys, frozen):
    client.force_login(dave)
    page = client.get("/me/feedback/").content.decode()
    assert "75%" in page and "3 answered of 4 sent" in page


def test_a_lead_sees_the_agents_response_rate(client, bob, daves_surveys, frozen):
    client.force_login(bob)
    page = client.get(f"/agents/{daves_surveys.pk}/feedback/").content.decode()
    assert "3 answered of 4 sent" in page


def test_the_personal_digest_gives_the_response_rate(dave, daves_surveys, frozen):
    dave.email = "dave@example.org"
    dave.save()
    Preference.objects.create(
        user=dave, time_zone="Europe/Amsterdam", digest_weekday=2, digest_hour=11
    )
    digests_tick.delay()
    [message] = mail.outbox
    assert "Response rate: 75% (3/4)" in message.body
    assert "Response rate: 75% (3/4)" in message.alternatives[0][0]
