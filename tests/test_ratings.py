"""IT rates its customers: opt-in per team, own tickets only, shown per department to IT managers
only, never per person and never for a group of fewer distinct requesters than the minimum."""

from datetime import timedelta

import pytest

from followups.models import TeamRules
from ratings.models import CustomerRating
from ratings.services import ratings_by_department
from surveys.models import Agent

from .conftest import NOW
from .factories import AgentFactory, RequesterFactory, TeamFactory, TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enabled(team):
    return TeamRules.objects.create(team=team, rate_customers=True)


@pytest.fixture
def daves_ticket(dave, team, frozen):
    agent = Agent.objects.get(user=dave)
    requester = RequesterFactory(department="Finance", email="ann@example.org")
    return TicketFactory(team=team, agent=agent, requester=requester, closed_at=NOW)


def rate(client, ticket, score):
    return client.post(f"/me/tickets/{ticket.pk}/rate/", {f"t{ticket.pk}-score": str(score)})


def test_the_help_text_asks_for_prior_agreement():
    help_text = str(TeamRules._meta.get_field("rate_customers").help_text)
    assert "prior agreement with the organisation" in help_text


class TestRating:
    def test_the_agent_rates_their_ticket(self, client, dave, enabled, daves_ticket):
        client.force_login(dave)
        assert f'data-ticket="{daves_ticket.pk}"'.encode() in client.get("/me/tickets/").content
        assert rate(client, daves_ticket, 3).status_code == 302
        rating = CustomerRating.objects.get()
        assert (rating.score, rating.department, rating.team_id) == (3, "Finance", enabled.team_id)
        rate(client, daves_ticket, 8)  # a second rating changes the first
        assert CustomerRating.objects.get().score == 8

    def test_not_where_the_team_did_not_opt_in(self, client, dave, daves_ticket):
        client.force_login(dave)
        assert f'data-ticket="{daves_ticket.pk}"'.encode() not in client.get("/me/tickets/").content
        assert rate(client, daves_ticket, 3).status_code == 404
        assert not CustomerRating.objects.exists()

    def test_not_another_agents_ticket(self, client, django_user_model, enabled, daves_ticket):
        erin = django_user_model.objects.create_user("erin")
        AgentFactory(team=daves_ticket.team, user=erin)
        client.force_login(erin)
        assert rate(client, daves_ticket, 3).status_code == 404

    def test_outsiders_get_404(self, client, charlie, bob, enabled, daves_ticket):
        for user in (charlie, bob):
            client.force_login(user)
            refused = 403 if user == charlie else 404  # charlie has no role at all
            assert client.get("/me/tickets/").status_code == refused
            assert rate(client, daves_ticket, 3).status_code == refused
        assert not CustomerRating.objects.exists()

    def test_a_score_outside_0_10_is_refused(self, client, dave, enabled, daves_ticket):
        client.force_login(dave)
        assert rate(client, daves_ticket, 11).status_code == 400
        assert not CustomerRating.objects.exists()

    def test_an_old_ticket_cannot_be_rated(self, client, dave, enabled, daves_ticket):
        daves_ticket.closed_at = NOW - timedelta(days=15)
        daves_ticket.save()
        client.force_login(dave)
        assert rate(client, daves_ticket, 5).status_code == 404


def ratings(department, scores, team):
    for score in scores:
        ticket = TicketFactory(team=team, requester=RequesterFactory(department=department))
        CustomerRating.objects.create(
            ticket=ticket, team=team, score=score, department=department, created_at=NOW
        )


def rated(requester, department, scores, team):
    """Ratings of one requester's tickets, with the department they had at the time."""
    for score in scores:
        CustomerRating.objects.create(
            ticket=TicketFactory(team=team, requester=requester),
            team=team,
            score=score,
            department=department,
            created_at=NOW,
        )


class TestResults:
    def test_only_it_managers_see_it(self, client, alice, bob, dave, charlie, team, frozen):
        ratings("Finance", [2, 4, 6, 8, 10], team)
        client.force_login(alice)
        page = client.get("/followups/customers/")
        assert page.status_code == 200 and b'data-department="Finance"' in page.content
        for user in (bob, dave, charlie):
            client.force_login(user)
            refused = 403 if user == charlie else 404  # charlie has no role at all
            assert client.get("/followups/customers/").status_code == refused

    def test_small_groups_are_merged_or_hidden(self, team, frozen):
        ratings("Finance", [2, 4, 6, 8, 10], team)
        ratings("Legal", [1, 1], team)  # too small on its own
        rows, hidden = ratings_by_department(NOW)
        assert [(r.department, r.ratings, r.average) for r in rows] == [("Finance", 5, 6.0)]
        assert hidden == 2
        ratings("", [9, 9, 9], team)  # no department; with Legal now five together
        rows, hidden = ratings_by_department(NOW)
        assert [(r.department, r.ratings, r.small_groups) for r in rows] == [
            ("Finance", 5, False),
            ("", 5, True),
        ]
        assert hidden == 0

    def test_one_requester_rated_five_times_is_one_person(self, client, alice, team, frozen):
        ann = RequesterFactory(department="Finance")
        rated(ann, "Finance", [2, 4, 6, 8, 10], team)
        rows, hidden = ratings_by_department(NOW)
        assert (rows, hidden) == ([], 5)
        client.force_login(alice)
        page = client.get("/followups/customers/")
        assert b'data-department="Finance"' not in page.content
        assert b'data-hidden="5"' in page.content

    def test_five_requesters_are_a_group(self, team, frozen):
        for score in [2, 4, 6, 8, 10]:
            rated(RequesterFactory(department="Finance"), "Finance", [score], team)
        rows, hidden = ratings_by_department(NOW)
        assert [(r.department, r.ratings, r.people, r.average) for r in rows] == [
            ("Finance", 5, 5, 6.0)
        ]
        assert hidden == 0

    def test_merged_groups_count_a_person_once(self, team, frozen):
        moved, *others = (RequesterFactory() for _ in range(4))
        rated(moved, "Legal", [1], team)  # rated while in Legal, later in HR
        rated(others[0], "Legal", [1], team)
        rated(moved, "HR", [3], team)
        rated(others[1], "HR", [3], team)
        rated(others[2], "HR", [3], team)
        # Two and three people, but four together: still too small.
        assert ratings_by_department(NOW) == ([], 5)
        rated(RequesterFactory(), "", [5], team)
        [row], hidden = ratings_by_department(NOW)
        assert (row.department, row.ratings, row.people, row.small_groups, hidden) == (
            "",
            6,
            5,
            True,
            0,
        )

    def test_no_ratings(self, client, alice, team, frozen):
        client.force_login(alice)
        assert b"Not enough ratings yet." in client.get("/followups/customers/").content
        assert TeamFactory(slug="other")
