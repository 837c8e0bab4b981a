"""Each role's daily path in a real Chromium, at 390 px and 1,440 px, in Dutch and English
(issue 17, the first bar), with axe-core and the fit check on every page it passes.

The IT manager reads the dashboard and opens a team; the team lead follows up a detractor (opens
the case, gives it an owner, marks it contacted, confirms its root cause, closes it); the agent
reads their feedback; the administrator sets up a team from scratch (creates it, makes a lead,
sets its question) and a connector (adds it, sends its test event).

One test per role walks its path in all four sizes × languages over one world, built once
(each walk that writes gets its own case, team or connector). Buttons, labels and messages are
looked up in the page's language through the catalogue (`words`), so a string left in English
fails. Screenshots go to test-artifacts/screenshots/; with ITPULSE_UPDATE_SCREENSHOTS=1 the wide
English ones refresh docs/screenshots/<role>-<step>.png, which the user guides in docs/guides/
show.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from accounts.roles import Role
from accounts.services import role_grant
from followups.models import FollowUpCase, ResponseTag
from integrations.models import Connector
from surveys.models import Invitation, Reason, Team

from ..factories import AgentFactory, InvitationFactory, ResponseFactory, TeamFactory
from .conftest import PHONE, WIDE, overflow, screenshot, serious_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = [(PHONE, "nl"), (PHONE, "en"), (WIDE, "nl"), (WIDE, "en")]


def words(language: str, text: str) -> str:
    """`text` as the catalogue has it in `language`: what the page must say."""
    with translation.override(language):
        return translation.gettext(text)


class Walk:
    """A page of one size and language that checks every page it reaches."""

    def __init__(self, page, viewport: dict, language: str, role: str):
        self.page, self.language, self.role = page, language, role
        self.size = f"{viewport['width']}-{language}"
        self.docs = viewport == WIDE and language == "en"

    def t(self, text: str) -> str:
        return words(self.language, text)

    def check(self, step: str) -> None:
        """The page fits its window, passes axe, and is saved as `<role>-<step>`."""
        page = self.page
        page.wait_for_load_state("load")
        where = f"{self.role} {step} ({page.url}) at {self.size}"
        assert page.locator("html").get_attribute("lang") == self.language, where
        assert overflow(page) == 0, f"{where}: wider than the window"
        assert serious_violations(page) == [], where
        screenshot(page, f"{self.role}-{step}-{self.size}.png", docs=False)
        if self.docs:
            screenshot(page, f"{self.role}-{step}.png")

    def menu(self, name: str) -> None:
        """Follow a link of the main menu, opening it first where it is folded (phone)."""
        toggler = self.page.get_by_role("button", name=self.t("Main menu"))
        if toggler.is_visible():
            toggler.click()
        link = self.page.locator("#main-menu").get_by_role("link", name=self.t(name), exact=True)
        with self.page.expect_navigation():  # the next check must see the new page
            link.click()

    def says(self, text: str) -> None:
        self.page.get_by_text(self.t(text), exact=False).first.wait_for()


@pytest.fixture
def world(django_user_model):
    """Two teams with half a year of answers (scores, comments, unanswered invitations), the
    four roles, and a reason to confirm as a root cause."""
    now = timezone.now()
    workplace = TeamFactory(name="Workplace", slug="workplace")
    network = TeamFactory(name="Network", slug="network")
    users = {}
    for name, role, team in (
        ("alice", Role.IT_MANAGER, None),
        ("bob", Role.TEAM_LEAD, workplace),
        ("carol", Role.ADMINISTRATOR, None),
    ):
        users[name] = django_user_model.objects.create_user(name, first_name=name.title())
        role_grant(user=users[name], role=role, team=team)
    users["dave"] = django_user_model.objects.create_user("dave", first_name="Dave")
    users["erin"] = django_user_model.objects.create_user(
        "erin", first_name="Erin", last_name="Visser"
    )
    dave = AgentFactory(team=workplace, user=users["dave"], name="Dave de Vries")
    agents = [dave, AgentFactory(team=workplace, name="Ann Berg"), AgentFactory(team=network)]
    comments = ["Quick and friendly", "Took three days", "", "Printer works again", ""]
    for i in range(90):
        when = now - timedelta(days=i * 2 % 80, hours=i % 7)
        agent = agents[i % 3]
        ResponseFactory(
            invitation__ticket__team=agent.team,
            invitation__ticket__agent=agent,
            invitation__sent_at=when - timedelta(hours=1),
            score=(i * 7) % 11,
            comment=comments[i % 5],
            created_at=when,
        )
    ResponseFactory(  # Ann's alone: Dave must not see it
        invitation__ticket__team=workplace,
        invitation__ticket__agent=agents[1],
        score=10,
        comment="Ann fixed the printer",
    )
    for i in range(15):  # asked, never answered: the response rate is below 100 %
        InvitationFactory(
            ticket__team=agents[i % 3].team,
            ticket__agent=agents[i % 3],
            status=Invitation.Status.SENT,
            sent_at=now - timedelta(days=i * 3),
        )
    reason, _ = Reason.objects.get_or_create(
        slug="slow", defaults={"name_en": "Took too long", "name_nl": "Duurde te lang"}
    )
    return {"users": users, "dave": dave, "workplace": workplace, "reason": reason}


@pytest.fixture
def walks(new_page, live_server):
    """A Walk for each size × language, signed in as `user`."""

    def make(user, role: str):
        for viewport, language in SIZES:
            page = new_page(viewport, bypass_csp=True)  # axe is injected as a script
            sign_in(page, user, live_server.url, language)
            page.goto(f"{live_server.url}/")
            yield Walk(page, viewport, language, role)

    return make


def test_the_it_manager_reads_the_dashboard_and_a_team(world, walks):
    for walk in walks(world["users"]["alice"], "manager"):
        page = walk.page
        page.get_by_role("heading", name=walk.t("Scores per team")).wait_for()
        assert page.locator("tr[data-team]").count() == 2
        walk.check("dashboard")
        page.locator("tr[data-team=workplace] th a").click()
        page.get_by_role("heading", name="Workplace").first.wait_for()
        assert re.search(r"-?\d+", page.locator("[data-figure=nps]").inner_text())
        assert "±" in page.locator("[data-figure=nps]").inner_text()  # the margin
        assert re.search(r"\d+ ?%", page.locator("[data-figure=rate]").inner_text())
        comments = page.locator("#comments")
        assert comments.get_by_text("Quick and friendly").first.is_visible()
        walk.check("team")


def test_the_team_lead_follows_up_a_detractor(world, walks):
    bob, dave, reason = world["users"]["bob"], world["dave"], world["reason"]
    cases = {}
    for n in range(len(SIZES)):
        response = ResponseFactory(
            invitation__ticket__team=world["workplace"],
            invitation__ticket__agent=dave,
            invitation__ticket__subject=f"VPN drops every hour ({n})",
            score=2,
            comment="Nobody called me back",
        )
        now = timezone.now()
        cases[n] = FollowUpCase.objects.create(
            response=response,
            team=world["workplace"],
            opening_score=2,
            latest_score=2,
            opened_at=now,
            due_at=now + timedelta(days=2),
        )
    for n, walk in enumerate(walks(bob, "lead")):
        page, case = walk.page, cases[n]
        walk.menu("Follow-up")
        walk.check("cases")
        page.locator(f"tr[data-case='{case.pk}'] a").click()
        page.get_by_text(f"VPN drops every hour ({n})").wait_for()
        walk.check("case")

        page.get_by_label(walk.t("Owner"), exact=True).select_option(label="dave")
        page.get_by_role("button", name=walk.t("Change owner")).click()
        walk.says("Owner changed.")
        page.get_by_label(walk.t("Status")).select_option("contacted")
        page.get_by_role("button", name=walk.t("Change status")).click()
        walk.says("Status changed.")

        # The root cause: confirmed on the team's reasons page (Follow-up → the team → reasons).
        page.get_by_role("link", name=f"← {walk.t('Follow-up cases')}").click()
        page.locator("main").get_by_role("link", name="Workplace", exact=True).click()
        page.get_by_role("link", name=walk.t("Reasons over time and tagging")).click()
        form = page.locator(f"form[data-response='{case.response_id}']")
        form.get_by_label(reason.name_nl if walk.language == "nl" else reason.name_en).check()
        form.get_by_role("button", name=walk.t("Save reasons")).click()
        walk.says("Reasons saved.")
        walk.check("reasons")

        walk.menu("Follow-up")
        page.get_by_role("link", name=walk.t("All"), exact=True).click()  # contacted: not open
        page.locator(f"tr[data-case='{case.pk}'] a").click()
        page.get_by_label(walk.t("Status")).select_option("resolved")
        page.get_by_role("button", name=walk.t("Change status")).click()
        walk.says("Status changed.")
        assert page.locator("h1 .badge").first.inner_text() == walk.t("resolved")
        walk.check("case-closed")

        case.refresh_from_db()
        assert (case.status, case.owner) == (FollowUpCase.Status.RESOLVED, dave.user)
        tag = ResponseTag.objects.get(response=case.response, reason=reason)
        assert tag.source == ResponseTag.Source.STAFF


def test_the_agent_reads_their_feedback(world, walks):
    for walk in walks(world["users"]["dave"], "agent"):
        page = walk.page
        walk.menu("My feedback")
        page.get_by_role("heading", name=walk.t("My feedback")).wait_for()
        assert page.locator("[data-agent-score]").count() >= 1
        assert page.get_by_text("Quick and friendly").first.is_visible()
        assert page.get_by_text("Ann fixed the printer").count() == 0  # Ann's, not Dave's
        walk.check("feedback")


def test_the_administrator_sets_up_a_team_and_a_connector(world, walks):
    carol = world["users"]["carol"]
    for n, walk in enumerate(walks(carol, "admin")):
        page = walk.page
        name, slug = f"Service Desk {n}", f"service-desk-{n}"
        walk.menu("Settings")
        walk.check("settings")
        page.locator("main").get_by_role("link", name=walk.t("Teams"), exact=True).first.click()
        page.get_by_role("link", name=walk.t("Add a team")).click()
        page.locator("#id_name").fill(name)
        walk.check("team-new")
        page.get_by_role("button", name=walk.t("Add the team")).click()
        walk.says("The team is created. Next: its members and its rules.")
        assert page.url.endswith(f"/settings/teams/{slug}/")

        page.get_by_label(walk.t("user account")).select_option(label="Erin Visser (erin)")
        page.get_by_role("button", name=walk.t("Make team lead")).click()
        page.locator(".list-group-item", has_text="Erin Visser").first.wait_for()
        walk.check("team")

        page.get_by_role("link", name=walk.t("Question"), exact=True).click()
        page.locator("#id_question_type").select_option("service")
        page.locator("#id_question_en").fill("How satisfied are you with the service desk?")
        page.locator("#id_question_nl").fill("Hoe tevreden bent u over de servicedesk?")
        page.get_by_role("button", name=walk.t("Save"), exact=True).click()
        page.locator(".alert-success").first.wait_for()
        walk.check("question")

        team = Team.objects.get(slug=slug)
        assert team.question_type == "service"
        assert team.question_nl == "Hoe tevreden bent u over de servicedesk?"
        assert list(team.leads.values_list("username", flat=True)) == ["erin"]

        # The connector that brings the team its tickets.
        walk.menu("Settings")
        connectors = page.locator("main").get_by_role("link", name=walk.t("Connectors"))
        connectors.first.click()
        page.get_by_role("link", name=walk.t("Add a connector")).click()
        page.locator("#id_name").fill(f"Jira {n}")
        page.locator("#id_kind").select_option("jira")
        page.locator("#id_team_lines").fill(f"Service Desk = {slug}")
        walk.check("connector-new")
        page.get_by_role("button", name=walk.t("Add the connector")).click()
        secret = page.locator("#new-secret")
        assert len(secret.input_value()) >= 20  # shown this once
        page.get_by_role("button", name=walk.t("Send test event")).click()
        page.locator(".alert-success").first.wait_for()
        walk.check("connector")
        connector = Connector.objects.get(name=f"Jira {n}")
        assert connector.team_map == {"Service Desk": slug}
