import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from campaigns.models import Campaign, CampaignAnswer, CampaignInvitation
from followups.models import CaseNote, FollowUpCase, ResponseTag
from ratings.models import CustomerRating
from surveys.models import ApiToken, Response, Team, Ticket, hash_token

pytestmark = pytest.mark.django_db


def test_create_api_token_prints_token_last_and_stores_only_hash():
    out = io.StringIO()
    call_command("create_api_token", "jira", stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip().splitlines()[-1]
    stored = ApiToken.objects.get(name="jira")
    assert stored.token_hash == hash_token(token)
    assert token not in stored.token_hash and len(token) >= 30


def test_create_api_token_refuses_a_duplicate_name():
    call_command("create_api_token", "jira", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_api_token", "jira", stdout=io.StringIO(), stderr=io.StringIO())


def test_a_made_token_works_on_the_api(client):
    out = io.StringIO()
    call_command("create_api_token", "glpi", stdout=out, stderr=io.StringIO())
    token = out.getvalue().strip().splitlines()[-1]
    assert client.get("/api/v1/teams/", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def _demo_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Team,
            Ticket,
            Response,
            User,
            FollowUpCase,
            CaseNote,
            ResponseTag,
            CustomerRating,
            Campaign,
            CampaignInvitation,
            CampaignAnswer,
        )
    )


def test_itpulse_demo_is_idempotent(frozen, client):
    out = io.StringIO()
    call_command("itpulse_demo", "--password", "demo-pass-123", stdout=out)
    # The manager's line is the last, as before (scripts/demo.sh and others read it).
    assert out.getvalue().splitlines()[-1] == "IT manager: manager / demo-pass-123"
    counts = _demo_counts()
    assert counts[0] >= 4 and counts[1] > 1000 and counts[2] > 300
    assert all(counts), counts  # cases, tags, ratings, periodic surveys and their answers too
    assert Response.objects.filter(comment__icontains="snel").exists()  # Dutch comments too
    assert client.login(username="manager", password="demo-pass-123")
    assert client.get("/dashboard/").status_code == 200
    call_command("itpulse_demo", stdout=io.StringIO())
    assert _demo_counts() == counts
    # A second run resets the manager's password to a new one.
    assert not client.login(username="manager", password="demo-pass-123")
