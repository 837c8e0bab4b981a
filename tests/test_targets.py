"""A team's own target: set in the team's settings by its leads (IT managers and administrators
for every team), drawn on its chart, named in the lead's digest; never a league table."""

from datetime import timedelta

import pytest
from django.core import mail

from accounts.models import Preference
from audit.models import AuditEvent
from delivery.digests import digests_tick
from scoring.models import Target

from .conftest import NOW
from .factories import ResponseFactory, TeamFactory

pytestmark = pytest.mark.django_db

URL = "/settings/teams/workplace/target/"


def answers(team, scores, days_ago=2):
    when = NOW - timedelta(days=days_ago)
    for score in scores:
        ResponseFactory(
            invitation__ticket__team=team,
            invitation__sent_at=when - timedelta(hours=1),
            score=score,
            created_at=when,
        )


def test_a_lead_sets_the_target_and_the_chart_draws_it(client, bob, team, frozen):
    answers(team, [10] * 8 + [0] * 2)
    client.force_login(bob)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {"value": "40"})
    assert response.status_code == 302
    assert Target.objects.get(team=team, question_type="nps").value == 40
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGED).exists()
    page = client.get("/dashboard/teams/workplace/?period=30").content.decode()
    assert "data-target-line" in page
    assert "Target 40, now 60." in page


def test_no_target_no_line(client, bob, team, frozen):
    answers(team, [10] * 8)
    client.force_login(bob)
    page = client.get("/dashboard/teams/workplace/?period=30").content.decode()
    assert "data-target-line" not in page and 'data-figure="target"' not in page


def test_an_empty_value_removes_it(client, bob, team):
    Target.objects.create(team=team, question_type="nps", value=40)
    client.force_login(bob)
    assert client.post(URL, {"value": ""}).status_code == 302
    assert not Target.objects.exists()


@pytest.mark.parametrize(("kind", "value"), [("nps", "150"), ("service", "-5"), ("effort", "8")])
def test_a_target_off_the_scale_is_a_400_and_saves_nothing(client, carol, team, kind, value):
    team.question_type = kind
    team.save()
    client.force_login(carol)
    response = client.post(URL, {"value": value})
    assert response.status_code == 400
    assert not Target.objects.exists()


def test_a_csat_target_is_a_percentage(client, alice, team):
    team.question_type = "service"
    team.save()
    client.force_login(alice)
    assert client.post(URL, {"value": "85"}).status_code == 302
    assert Target.objects.get().question_type == "service"


def test_a_lead_cannot_set_another_teams_target(client, bob, team):
    TeamFactory(name="Network", slug="network")
    client.force_login(bob)
    assert client.post("/settings/teams/network/target/", {"value": "40"}).status_code == 404
    assert not Target.objects.exists()


def test_an_agent_cannot_set_one(client, dave, team):
    client.force_login(dave)
    assert client.post(URL, {"value": "40"}).status_code in (403, 404)
    assert not Target.objects.exists()


def test_the_leads_digest_says_target_and_now(bob, team, frozen):
    bob.email = "bob@example.org"
    bob.save()
    Preference.objects.create(
        user=bob, time_zone="Europe/Amsterdam", digest_weekday=2, digest_hour=11
    )
    Target.objects.create(team=team, question_type="nps", value=40)
    answers(team, [10] * 8 + [0] * 2)
    digests_tick.delay()
    [message] = mail.outbox
    assert "Target 40, now 60." in message.body
    assert "Target 40, now 60." in message.alternatives[0][0]


def test_the_overview_ranks_nobody_by_target(client, alice, team, frozen):
    other = TeamFactory(name="Network", slug="network")
    Target.objects.create(team=team, question_type="nps", value=90)
    Target.objects.create(team=other, question_type="nps", value=10)
    client.force_login(alice)
    page = client.get("/dashboard/").content.decode()
    assert "Target" not in page
    assert page.index("Network") < page.index("Workplace")  # still alphabetical
