"""Roles against the per-agent pages: the agent, their lead, the IT manager, and outsiders."""

import pytest

from surveys.models import Agent

from .access import is_no_role_page
from .factories import AgentFactory, ResponseFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(dave, frozen):
    agent = Agent.objects.get(user=dave)
    ResponseFactory(
        invitation__ticket__agent=agent,
        invitation__ticket__team=agent.team,
        score=3,
        comment="Dave was late.",
    )
    other = AgentFactory(team=agent.team)
    ResponseFactory(
        invitation__ticket__agent=other,
        invitation__ticket__team=agent.team,
        score=10,
        comment="Someone else was great.",
    )
    return agent


class TestMyFeedback:
    def test_the_agent_sees_only_their_own_feedback(self, client, dave, feedback):
        client.force_login(dave)
        page = client.get("/me/feedback/")
        assert page.status_code == 200
        assert b"Dave was late." in page.content
        assert b"Someone else" not in page.content

    def test_a_user_who_is_no_agent_gets_404(self, client, charlie, bob, feedback):
        client.force_login(bob)
        assert client.get("/me/feedback/").status_code == 404
        client.force_login(charlie)  # no role at all
        assert is_no_role_page(client.get("/me/feedback/"))

    def test_it_needs_login(self, client, feedback):
        assert client.get("/me/feedback/").status_code == 302


class TestAgentPage:
    def test_the_agent_their_lead_and_the_it_manager_see_it(
        self, client, alice, bob, dave, feedback
    ):
        for user in (alice, bob, dave):
            client.force_login(user)
            page = client.get(f"/agents/{feedback.pk}/feedback/")
            assert page.status_code == 200, user
            assert b"Dave was late." in page.content

    def test_the_outsider_gets_the_no_role_page(self, client, charlie, feedback):
        client.force_login(charlie)
        page = client.get(f"/agents/{feedback.pk}/feedback/")
        assert is_no_role_page(page) and b"Dave was late." not in page.content

    def test_a_colleague_agent_gets_404(self, client, django_user_model, feedback):
        colleague = django_user_model.objects.create_user("erin")
        AgentFactory(team=feedback.team, user=colleague)
        client.force_login(colleague)
        assert client.get(f"/agents/{feedback.pk}/feedback/").status_code == 404

    def test_a_lead_of_another_team_gets_404(self, client, django_user_model, feedback):
        other = django_user_model.objects.create_user("olga")
        TeamFactory(slug="network").leads.add(other)
        client.force_login(other)
        assert client.get(f"/agents/{feedback.pk}/feedback/").status_code == 404

    def test_carol_the_administrator_gets_404(self, client, carol, feedback):
        client.force_login(carol)
        assert client.get(f"/agents/{feedback.pk}/feedback/").status_code == 404


class TestEveryPageAgainstEveryRole:
    """Each role against each page and export of issue 7 (and the team page it joins): 200 where
    the role reaches, 404 everywhere else; the outsider, who has no role, gets the page saying
    whom to ask (403). (tests/test_access_roles.py holds the table of every staff page.)"""

    ACTORS = ("alice", "bob", "carol", "dave", "charlie")

    @pytest.fixture
    def world(self, alice, bob, carol, dave, charlie, team, frozen):
        from campaigns.models import Campaign
        from followups.models import FollowUpCase

        agent = Agent.objects.get(user=dave)
        response = ResponseFactory(
            invitation__ticket__agent=agent, invitation__ticket__team=team, score=2
        )
        case = FollowUpCase.objects.create(
            response=response,
            team=team,
            opening_score=2,
            latest_score=2,
            opened_at=response.created_at,
            due_at=response.created_at,
        )
        campaign = Campaign.objects.create(name="Autumn")
        users = {u.username: u for u in (alice, bob, carol, dave, charlie)}
        return users, {"case": case.pk, "agent": agent.pk, "campaign": campaign.pk}

    PAGES = {
        # url template: the actors that may see it
        "/followups/{case}/": {"alice", "bob"},
        "/followups/teams/workplace/": {"alice", "bob"},
        "/followups/teams/workplace/reasons/": {"alice", "bob"},
        "/dashboard/teams/workplace/": {"alice", "bob"},
        "/agents/{agent}/feedback/": {"alice", "bob", "dave"},
        "/agents/{agent}/feedback/export.csv": {"alice", "bob", "dave"},
        "/me/feedback/": {"dave"},
        "/me/feedback/export.csv": {"dave"},
        "/me/tickets/": {"dave"},
        "/followups/customers/": {"alice"},
        "/followups/campaigns/": {"alice"},
        "/followups/campaigns/{campaign}/": {"alice"},
        # A list: each role sees only their own reach (tested apart); charlie has no role.
        "/followups/": set(ACTORS) - {"charlie"},
        "/me/preferences/": set(ACTORS),  # one's own settings, role or not
    }

    @pytest.mark.parametrize("url", list(PAGES))
    def test_role_matrix(self, client, world, url):
        users, ids = world
        for name in self.ACTORS:
            client.force_login(users[name])
            status = client.get(url.format(**ids)).status_code
            expected = 200 if name in self.PAGES[url] else 403 if name == "charlie" else 404
            assert status == expected, (url, name, status)

    def test_the_export_holds_only_that_agents_feedback(self, client, world, team):
        users, _ids = world
        ResponseFactory(invitation__ticket__team=team, comment="=HYPERLINK(x)", score=5)
        client.force_login(users["dave"])
        lines = client.get("/me/feedback/export.csv").getvalue().decode("utf-8-sig").splitlines()
        assert lines[0] == "answered_at,ticket,score,comment"
        assert len(lines) == 2 and "HYPERLINK" not in lines[1]
