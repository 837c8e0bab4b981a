"""The demo shows the whole product (issue 17, point 7): one login per role, each landing on a
page with data; follow-up cases in every state, confirmed reasons, ratings of customers, a
finished and a running periodic survey; answers up to now and never after."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from campaigns.models import Campaign, CampaignAnswer
from followups.models import FollowUpCase, ResponseTag
from ratings.models import CustomerRating
from surveys.models import Invitation, Response, Ticket

pytestmark = pytest.mark.django_db

LOGIN = re.compile(r"^(?P<role>[^:\n]+): (?P<username>\S+) / (?P<password>\S+)$", re.M)
# 23:30 in Amsterdam (winter: UTC+1), where a demo answer dated a day late shows as tomorrow.
LATE = datetime(2026, 12, 5, 22, 30, tzinfo=UTC)


def _demo() -> dict[str, tuple[str, str]]:
    out = io.StringIO()
    call_command("itpulse_demo", stdout=out)
    return {m["role"]: (m["username"], m["password"]) for m in LOGIN.finditer(out.getvalue())}


def test_one_login_per_role_each_landing_on_its_page_with_data(frozen, client):
    logins = _demo()
    assert set(logins) == {
        "Administrator",
        "IT manager",
        "Team lead (Network)",
        "Agent (Network)",
    }
    assert logins["IT manager"][0] == "manager"
    passwords = [password for _username, password in logins.values()]
    assert len(set(passwords)) == 4 and all(len(password) >= 12 for password in passwords)
    landings = {
        "Administrator": ("/staff/tickets/", "SD-"),  # the tickets, with their survey status
        "IT manager": ("/dashboard/", "Network &amp; Infrastructure"),
        "Team lead (Network)": ("/dashboard/", "Network &amp; Infrastructure"),
        "Agent (Network)": ("/me/feedback/", "<strong>NPS"),  # enough answers for a score
    }
    for role, (path, shown) in landings.items():
        username, password = logins[role]
        client.logout()
        assert client.login(username=username, password=password), role
        page = client.get("/", follow=True)
        assert page.status_code == 200, role
        assert page.redirect_chain[-1][0] == path, role
        assert shown in page.content.decode(), role
    # The agent's own feedback holds answers: their comments are on the page.
    agent_comments = Response.objects.filter(
        agent__email="thomas.smit@example.org", created_at__gte=timezone.now() - timedelta(days=30)
    ).exclude(comment="")
    newest = agent_comments.order_by("-created_at").first()
    assert newest is not None and newest.comment in page.content.decode()
    # The lead works their team's cases.
    assert FollowUpCase.objects.filter(team__slug="network", owner__username="lead").exists()


def test_the_demo_holds_every_part_of_the_product_and_nothing_after_now(client):
    with time_machine.travel(LATE, tick=False):
        _demo()
        now = timezone.now()
        today = timezone.localdate()
    # Answers up to today, never in the future (in UTC nor in the organisation's zone).
    demo = Response.objects.filter(invitation__ticket__source="demo")
    latest = max(demo.values_list("created_at", flat=True))
    assert latest <= now
    assert timezone.localtime(latest).date() == today  # up to today
    assert not Invitation.objects.filter(answered_at__gt=now).exists()
    assert not Invitation.objects.filter(sent_at__gt=now).exists()
    assert not Ticket.objects.filter(closed_at__gt=now).exists()
    assert not CampaignAnswer.objects.filter(answered_on__gt=today).exists()
    assert not CustomerRating.objects.filter(created_at__gt=now).exists()
    # Follow-up cases in every state, in the lead's own team; worked ones have an owner, and a
    # resolved case its root cause (a reason staff confirmed).
    network = FollowUpCase.objects.filter(team__slug="network")
    assert set(network.values_list("status", flat=True)) == set(FollowUpCase.Status.values)
    assert not network.exclude(status=FollowUpCase.Status.OPEN).filter(owner=None).exists()
    for case in network.filter(status=FollowUpCase.Status.RESOLVED):
        assert case.response.tags.filter(source=ResponseTag.Source.STAFF).exists()
    assert not FollowUpCase.objects.filter(opened_at__gt=now).exists()
    # Ratings of customers, per department.
    assert CustomerRating.objects.exclude(department="").count() > 50
    # A finished periodic survey (every link expired) and a running one (links still valid),
    # both sent by the delivery engine and answered.
    campaigns = list(Campaign.objects.order_by("launched_at"))
    assert len(campaigns) == 2
    finished, running = campaigns
    for campaign in campaigns:
        assert campaign.is_launched and campaign.answers.count() >= 5
        assert not campaign.invitations.exclude(status="sent").exists()
        assert not campaign.invitations.filter(token_hash=None).exists()
    assert not finished.invitations.filter(expires_at__gt=now).exists()
    assert not running.invitations.filter(expires_at__lte=now).exists()
    # What the roles read: the campaign results for the manager.
    call_command("itpulse_demo", "--password", "demo-pass-123", stdout=io.StringIO())
    assert client.login(username="manager", password="demo-pass-123")
    assert client.get(f"/followups/campaigns/{running.pk}/").status_code == 200
