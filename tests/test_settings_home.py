"""The settings hub (/settings/), its layout and its link in the navigation.

Each role sees the sections its role reaches and no other: the administrator every section, the
IT manager the team set-up, periodic surveys and reasons, a team lead the team set-up (their
teams), an agent and an auditor nothing (404),
a person without a role the page saying whom to ask."""

import pytest

from accounts.access import may_open_settings
from setup.sections import sections_for

from .access import is_no_role_page
from .factories import TeamFactory

pytestmark = pytest.mark.django_db

URL = "/settings/"


@pytest.fixture
def network(db):
    return TeamFactory(name="Network", slug="network")


def titles(response) -> list[str]:
    return [str(section.title) for section in response.context["sections"]]


def test_administrator_sees_every_section(client, carol):
    client.force_login(carol)
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == [
        "Teams",
        "User accounts",
        "Connectors",
        "API tokens",
        "Webhooks",
        "Periodic surveys",
        "Reasons and keywords",
    ]
    # The hub links each section by its address.
    assert 'href="/settings/teams/"' in response.content.decode()


def test_manager_sees_teams_surveys_and_reasons(client, alice):
    client.force_login(alice)
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Teams", "Periodic surveys", "Reasons and keywords"]
    assert "/settings/connectors/" not in response.content.decode()


def test_lead_sees_the_team_set_up_only(client, bob):
    client.force_login(bob)
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Teams"]
    assert "/settings/connectors/" not in response.content.decode()
    assert "/settings/surveys/" not in response.content.decode()


@pytest.mark.parametrize("actor", ["dave", "audrey"])
def test_agent_and_auditor_get_a_404(client, request, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(URL).status_code == 404


def test_person_without_a_role_is_told_whom_to_ask(client, charlie):
    client.force_login(charlie)
    assert is_no_role_page(client.get(URL))


def test_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("actor", "has_link"),
    [("carol", True), ("alice", True), ("bob", True), ("dave", False), ("audrey", False)],
)
def test_navigation_links_settings_for_those_with_a_section(client, request, actor, has_link):
    user = request.getfixturevalue(actor)
    client.force_login(user)
    html = client.get("/dashboard/").content.decode()
    assert ('href="/settings/"' in html) is has_link
    # The link and the hub agree: nobody follows a link to an empty hub or a 404.
    assert may_open_settings(user) is bool(sections_for(user)) is has_link


def test_settings_pages_share_the_section_navigation(client, carol):
    client.force_login(carol)
    html = client.get("/settings/teams/").content.decode()
    assert 'class="list-group settings-nav"' in html
    assert 'href="/settings/teams/" aria-current="page"' in html
    # Stacked above the page on a phone, beside it from the md breakpoint.
    assert 'class="col-12 col-md-4 col-lg-3"' in html


def test_hub_in_dutch(client, carol):
    client.force_login(carol)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Instellingen" in html
    assert "Koppelingen" in html
    assert "Alle instellingen" in html


def test_team_list_shows_the_teams_one_may_configure(client, alice, bob, network):
    client.force_login(bob)
    html = client.get("/settings/teams/").content.decode()
    assert "Workplace" in html
    assert "Network" not in html
    client.force_login(alice)
    html = client.get("/settings/teams/").content.decode()
    assert "Workplace" in html and "Network" in html
