"""The ticket list and its neighbours through each role: whose tickets, whose scores, which
teams a ticket may be closed for, which links the navigation offers, where home leads."""

import pytest

from accounts.access import may_see_agent_scores, may_see_ticket, tickets_for_user
from surveys.models import Agent, Ticket

from .access import is_no_role_page
from .factories import AgentFactory, ResponseFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(team, dave, frozen):
    """Team A (workplace): one ticket of dave's (score 3), one of a colleague's (score 9);
    team B (network): one ticket (score 7)."""
    network = TeamFactory(name="Network", slug="network")
    mine = ResponseFactory(
        invitation__ticket__team=team,
        invitation__ticket__agent=Agent.objects.get(user=dave),
        invitation__ticket__external_id="A-DAVE",
        score=3,
    )
    colleague = ResponseFactory(
        invitation__ticket__team=team,
        invitation__ticket__agent=AgentFactory(team=team),
        invitation__ticket__external_id="A-OTHER",
        score=9,
    )
    other_team = ResponseFactory(
        invitation__ticket__team=network,
        invitation__ticket__agent=AgentFactory(team=network),
        invitation__ticket__external_id="B-ONE",
        score=7,
    )
    return {
        r.invitation.ticket.external_id: r.invitation.ticket for r in (mine, colleague, other_team)
    }


def listed(client, user) -> tuple[set[str], list]:
    client.force_login(user)
    page = client.get("/staff/tickets/")
    assert page.status_code == 200
    ids = {ticket.external_id for ticket in page.context["page"]}
    return ids, page


def score_cells(page) -> dict[str, str]:
    return {
        ticket.external_id: (
            str(ticket.invitation.response.score) if ticket.score_shown else "not shown"
        )
        for ticket in page.context["page"]
    }


def test_the_it_manager_sees_every_ticket_with_its_score(client, alice, tickets):
    ids, page = listed(client, alice)
    assert ids == {"A-DAVE", "A-OTHER", "B-ONE"}
    assert score_cells(page) == {"A-DAVE": "3", "A-OTHER": "9", "B-ONE": "7"}
    assert '<th scope="col">Score</th>' in page.content.decode()


def test_a_lead_sees_their_teams_tickets_and_scores_only(client, bob, tickets):
    ids, page = listed(client, bob)
    assert ids == {"A-DAVE", "A-OTHER"}
    assert score_cells(page) == {"A-DAVE": "3", "A-OTHER": "9"}
    assert "B-ONE" not in page.content.decode()


def test_an_agent_sees_their_own_tickets_without_scores(client, dave, tickets):
    ids, page = listed(client, dave)
    assert ids == {"A-DAVE"}
    html = page.content.decode()
    assert '<th scope="col">Score</th>' not in html and ">3<" not in html


def test_the_administrator_sees_delivery_status_but_no_score(client, carol, tickets):
    ids, page = listed(client, carol)
    assert ids == {"A-DAVE", "A-OTHER", "B-ONE"}  # delivery runs for every team
    html = page.content.decode()
    assert '<th scope="col">Score</th>' not in html
    assert not any(f">{score}<" in html for score in (3, 9, 7))


def test_the_auditor_and_people_without_a_role_get_no_list(client, audrey, charlie, tickets):
    client.force_login(audrey)
    assert client.get("/staff/tickets/").status_code == 404
    client.force_login(charlie)
    assert is_no_role_page(client.get("/staff/tickets/"))


def test_the_questions_answer_per_object(alice, bob, dave, carol, tickets, team):
    b_one, mine = tickets["B-ONE"], tickets["A-DAVE"]
    assert may_see_ticket(alice, b_one) and not may_see_ticket(bob, b_one)
    assert may_see_ticket(dave, mine) and not may_see_ticket(dave, tickets["A-OTHER"])
    assert may_see_agent_scores(bob, team) and not may_see_agent_scores(bob, b_one.team)
    assert not may_see_agent_scores(dave, team) and not may_see_agent_scores(carol, team)
    assert set(tickets_for_user(bob)) == {mine, tickets["A-OTHER"]}


def test_a_lead_resends_only_their_teams_surveys(client, bob, tickets):
    client.force_login(bob)
    other = tickets["B-ONE"].invitation
    assert client.post(f"/staff/invitations/{other.pk}/resend/").status_code == 404


def test_a_ticket_is_closed_by_hand_only_for_a_team_one_works_for(client, dave, team, frozen):
    network = TeamFactory(name="Network", slug="network")
    client.force_login(dave)
    form = client.get("/staff/tickets/close/").context["form"]
    assert list(form.fields["team"].queryset) == [team]
    response = client.post(
        "/staff/tickets/close/",
        {
            "team": network.pk,
            "source": "manual",
            "external_id": "PHONE-9",
            "requester_email": "ann@example.org",
            "requester_language": "en",
            "closed_at": "2026-11-25T11:00",
        },
    )
    assert response.status_code == 200 and "team" in response.context["form"].errors
    assert not Ticket.objects.filter(external_id="PHONE-9").exists()


@pytest.mark.parametrize(
    ("actor", "shown", "hidden"),
    [
        (
            "alice",
            ["/dashboard/", "/staff/tickets/", "/followups/customers/"],
            ["/staff/mail/", "/staff/delivery/", "/admin/"],
        ),
        (
            "carol",
            ["/staff/delivery/", "/staff/mail/", "/settings/connectors/", "/admin/"],
            ["/followups/customers/"],
        ),
        (
            "dave",
            ["/me/feedback/", "/staff/tickets/"],
            ["/staff/delivery/", "/followups/customers/", "/admin/"],
        ),
        ("charlie", ["/me/preferences/"], ["/dashboard/", "/staff/tickets/", "/followups/"]),
    ],
)
def test_the_navigation_offers_what_the_role_reaches(
    client, request, settings, actor, shown, hidden
):
    settings.EMAIL_CAPTURED = True
    client.force_login(request.getfixturevalue(actor))
    nav = client.get("/me/preferences/").content.decode().split("</nav>")[0]
    for url in shown:
        assert f'href="{url}"' in nav, (actor, url)
    for url in hidden:
        assert f'href="{url}"' not in nav, (actor, url)


@pytest.mark.parametrize(
    ("actor", "target"),
    [
        ("alice", "/dashboard/"),
        ("bob", "/dashboard/"),
        ("dave", "/me/feedback/"),
        ("carol", "/staff/tickets/"),
        ("audrey", "/audit/"),
    ],
)
def test_home_leads_each_role_to_its_page(client, request, actor, target):
    client.force_login(request.getfixturevalue(actor))
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == target


def test_home_tells_a_person_without_a_role_whom_to_ask(client, carol, charlie):
    carol.first_name, carol.last_name, carol.email = "Carol", "Admin", "carol@example.org"
    carol.save()
    client.force_login(charlie)
    page = client.get("/")
    assert is_no_role_page(page)
    html = page.content.decode()
    assert "Carol Admin" in html and "mailto:carol@example.org" in html
    assert "/admin/login/" not in html


def test_the_no_role_page_speaks_dutch(client, charlie):
    client.force_login(charlie)
    html = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "U hebt nog geen rol in ITPulse" in html
