"""Roles against the per-agent pages: the agent, their lead, the IT manager, and outsiders."""

import pytest

from surveys.models import Agent

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
        for user in (charlie, bob):
            client.force_login(user)
            assert client.get("/me/feedback/").status_code == 404

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

    def test_the_outsider_gets_404(self, client, charlie, feedback):
        client.force_login(charlie)
        assert client.get(f"/agents/{feedback.pk}/feedback/").status_code == 404

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

    def test_carol_the_desk_staff_gets_404(self, client, carol, feedback):
        client.force_login(carol)
        assert client.get(f"/agents/{feedback.pk}/feedback/").status_code == 404
