"""Every role against every staff page and read: a table of role × URL → status.

The URL list is checked against the URLconf: a named URL that is neither in TABLE nor in PUBLIC
fails test_every_named_url_is_in_the_table, so a new page cannot be forgotten.

Statuses: 200 (or the page's redirect / form answer) where the role reaches; 404 where a role
does not (objects are looked up through the user: nothing is confirmed); 403 with the page saying
whom to ask for a signed-in person without any role — the staff flag alone included; 302 to the
sign-in page for an anonymous visitor; 401 from the API, which never takes a session.
"""

from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.roles import Role
from accounts.services import role_grant
from campaigns.models import Campaign
from followups.models import FollowUpCase, KeywordRule, TeamRules
from surveys.api_tokens import api_token_create
from surveys.models import CapturedEmail, Invitation, Reason
from webhooks.models import Webhook

from .access import is_no_role_page, is_refused_page
from .conftest import NOW, eager_tasks
from .factories import AgentFactory, InvitationFactory, ResponseFactory, TeamFactory, TicketFactory
from .hooks import connector_for

pytestmark = pytest.mark.django_db

ADMIN, MANAGER, LEAD, AGENT, AUDITOR = "administrator", "it_manager", "lead", "agent", "auditor"
STAFF, OUTSIDER, ANONYMOUS = "staff_no_role", "outsider", "anonymous"
ROLES = (ADMIN, MANAGER, LEAD, AGENT, AUDITOR)
ACTORS = (*ROLES, STAFF, OUTSIDER, ANONYMOUS)


def page(reach, ok: int = 200) -> dict[str, int]:
    """A staff page: `ok` for the roles in reach, 404 for the other roles, the no-role page
    for people without one, the sign-in page for visitors."""
    reach = set(reach)
    assert reach <= set(ROLES), reach
    return {
        **{role: ok if role in reach else 404 for role in ROLES},
        STAFF: 403,
        OUTSIDER: 403,
        ANONYMOUS: 302,
    }


def api() -> dict[str, int]:
    """The API takes a bearer token, never a session: every role gets 401."""
    return dict.fromkeys(ACTORS, 401)


def own(ok: int = 200) -> dict[str, int]:
    """One's own settings: anyone signed in, role or not."""
    return {**dict.fromkeys(ACTORS, ok), ANONYMOUS: 302}


def moved(status: int = 301) -> dict[str, int]:
    """An old address of a page that moved: the same permanent redirect for everyone (the new
    page's own row says who gets in)."""
    return dict.fromkeys(ACTORS, status)


def admin_site(reach, ok: int = 200) -> dict[str, int]:
    """The admin: the staff flag is its entry (administrators and auditors have it); inside,
    model permissions decide (403 for the staff flag without them). A signed-in person without
    the flag gets a 403 page saying whom to ask (the no-role page if they have no role), never
    the admin's sign-in form; a visitor is sent to sign in."""
    return {
        **dict.fromkeys(ACTORS, 403),
        ANONYMOUS: 302,
        **dict.fromkeys(reach, ok),
    }


ALL_ROLES = ROLES
TEAM_A = {MANAGER, LEAD}  # the lead leads team A (workplace), the agent works in it
TEAM_B = {MANAGER}  # nobody but the IT manager reaches team B (network)
TICKETS = {ADMIN, MANAGER, LEAD, AGENT}
SETUP_A = {ADMIN, MANAGER, LEAD}  # a team's settings: administrators, IT managers, its leads
SETUP_B = {ADMIN, MANAGER}
SURVEYS = {ADMIN, MANAGER}  # periodic surveys ask the whole organisation: not a lead's
REASONS = {ADMIN, MANAGER}  # one set of reasons for every team: not a lead's

# (URL name, method, path, expected status per actor)
TABLE = [
    ("home", "get", "/", page(ALL_ROLES, ok=302)),
    ("dashboard", "get", "/dashboard/", page(ALL_ROLES)),
    ("team-page", "get", "/dashboard/teams/workplace/", page(TEAM_A)),
    ("team-page", "get", "/dashboard/teams/network/", page(TEAM_B)),
    ("team-export", "get", "/dashboard/teams/workplace/export.csv", page(TEAM_A)),
    ("team-export", "get", "/dashboard/teams/network/export.csv?identity=1", page(TEAM_B)),
    ("team-export-xlsx", "get", "/dashboard/teams/workplace/export.xlsx", page(TEAM_A)),
    ("team-export-xlsx", "get", "/dashboard/teams/network/export.xlsx?identity=1", page(TEAM_B)),
    ("ticket-list", "get", "/staff/tickets/", page(TICKETS)),
    ("ticket-close", "get", "/staff/tickets/close/", page(TICKETS)),
    ("invitation-resend", "post", "/staff/invitations/{inv_a}/resend/", page(TICKETS, ok=302)),
    (
        "invitation-resend",
        "post",
        "/staff/invitations/{inv_b}/resend/",
        page({ADMIN, MANAGER}, 302),
    ),
    ("sent-mail-list", "get", "/staff/mail/", page({ADMIN})),
    ("sent-mail-detail", "get", "/staff/mail/{mail}/", page({ADMIN})),
    ("scanner-report", "get", "/staff/scanners/", page({ADMIN})),
    ("delivery", "get", "/staff/delivery/", page({ADMIN})),
    ("delivery-resend", "post", "/staff/delivery/{inv_b}/resend/", page({ADMIN}, ok=302)),
    ("connector-list", "get", "/staff/connectors/", moved()),
    ("connector-detail", "get", "/staff/connectors/generic/", moved()),
    ("connector-test", "post", "/staff/connectors/generic/test/", moved(308)),
    ("settings-connector-list", "get", "/settings/connectors/", page({ADMIN})),
    ("settings-connector-create", "get", "/settings/connectors/new/", page({ADMIN})),
    ("settings-connector-create", "post", "/settings/connectors/new/", page({ADMIN}, 400)),
    ("settings-connector", "get", "/settings/connectors/generic/", page({ADMIN})),
    ("settings-connector-edit", "get", "/settings/connectors/generic/edit/", page({ADMIN})),
    (
        "settings-connector-active",
        "post",
        "/settings/connectors/generic/active/",
        page({ADMIN}, 302),
    ),
    ("settings-connector-secret", "post", "/settings/connectors/generic/secret/", page({ADMIN})),
    ("settings-connector-test", "post", "/settings/connectors/generic/test/", page({ADMIN}, 302)),
    ("ticket-import", "get", "/staff/import/", page({ADMIN})),
    ("api-token-list", "get", "/staff/api-tokens/", moved()),
    ("api-token-revoke", "post", "/staff/api-tokens/{token}/revoke/", moved(308)),
    ("settings-token-list", "get", "/settings/tokens/", page({ADMIN})),
    ("settings-token-list", "post", "/settings/tokens/", page({ADMIN}, 400)),
    ("settings-token-revoke", "post", "/settings/tokens/{token}/revoke/", page({ADMIN}, 302)),
    ("webhook-list", "get", "/staff/webhooks/", page({ADMIN})),
    ("webhook-detail", "get", "/staff/webhooks/{webhook}/", page({ADMIN})),
    ("webhook-enable", "post", "/staff/webhooks/{webhook}/enable/", page({ADMIN}, ok=302)),
    ("webhook-delete", "post", "/staff/webhooks/{webhook}/delete/", page({ADMIN}, ok=302)),
    ("audit-events", "get", "/audit/", page({ADMIN, AUDITOR})),
    ("followup-list", "get", "/followups/?show=all", page(ALL_ROLES)),
    ("followup-detail", "get", "/followups/{case_a}/", page(TEAM_A)),
    ("followup-detail", "get", "/followups/{case_b}/", page(TEAM_B)),
    ("followup-status", "post", "/followups/{case_a}/status/", page(TEAM_A, ok=400)),
    ("followup-owner", "post", "/followups/{case_b}/owner/", page(TEAM_B, ok=302)),
    ("followup-note", "post", "/followups/{case_a}/notes/", page(TEAM_A, ok=400)),
    ("followup-team", "get", "/followups/teams/workplace/", page(TEAM_A)),
    ("followup-team", "get", "/followups/teams/network/", page(TEAM_B)),
    ("followup-team-reasons", "get", "/followups/teams/workplace/reasons/", page(TEAM_A)),
    ("followup-team-reasons", "get", "/followups/teams/network/reasons/", page(TEAM_B)),
    ("response-tags", "post", "/followups/responses/{response_b}/tags/", page(TEAM_B, ok=302)),
    ("customer-ratings", "get", "/followups/customers/", page({MANAGER})),
    ("campaign-list", "get", "/followups/campaigns/", page({MANAGER})),
    ("campaign-detail", "get", "/followups/campaigns/{campaign}/", page({MANAGER})),
    ("my-tickets", "get", "/me/tickets/", page({AGENT})),
    ("rate-ticket", "post", "/me/tickets/{ticket_a}/rate/", page({AGENT}, ok=400)),
    ("my-feedback", "get", "/me/feedback/", page({AGENT})),
    ("my-feedback-export", "get", "/me/feedback/export.csv", page({AGENT})),
    ("my-feedback-export-xlsx", "get", "/me/feedback/export.xlsx", page({AGENT})),
    ("agent-feedback", "get", "/agents/{agent_a}/feedback/", page({MANAGER, LEAD, AGENT})),
    ("agent-feedback", "get", "/agents/{agent_b}/feedback/", page(TEAM_B)),
    (
        "agent-feedback-export",
        "get",
        "/agents/{agent_a}/feedback/export.csv",
        page(TEAM_A | {AGENT}),
    ),
    ("agent-feedback-export", "get", "/agents/{agent_b}/feedback/export.csv", page(TEAM_B)),
    (
        "agent-feedback-export-xlsx",
        "get",
        "/agents/{agent_a}/feedback/export.xlsx",
        page(TEAM_A | {AGENT}),
    ),
    ("agent-feedback-export-xlsx", "get", "/agents/{agent_b}/feedback/export.xlsx", page(TEAM_B)),
    ("preferences", "get", "/me/preferences/", own()),
    ("settings-home", "get", "/settings/", page({ADMIN, MANAGER, LEAD})),
    ("settings-team-list", "get", "/settings/teams/", page({ADMIN, MANAGER, LEAD})),
    ("settings-team-create", "get", "/settings/teams/new/", page({ADMIN})),
    ("settings-account-list", "get", "/settings/accounts/", page({ADMIN})),
    ("settings-account-create", "get", "/settings/accounts/new/", page({ADMIN})),
    ("settings-account-create", "post", "/settings/accounts/new/", page({ADMIN}, 400)),
    ("settings-account", "get", "/settings/accounts/{lead_b}/", page({ADMIN})),
    ("settings-account", "post", "/settings/accounts/{lead_b}/", page({ADMIN}, 400)),
    ("settings-account-active", "post", "/settings/accounts/{lead_b}/active/", page({ADMIN}, 400)),
    ("settings-account-link", "post", "/settings/accounts/{lead_b}/link/", page({ADMIN})),
    ("settings-team", "get", "/settings/teams/workplace/", page(SETUP_A)),
    ("settings-team", "get", "/settings/teams/network/", page(SETUP_B)),
    ("settings-team-lead-add", "post", "/settings/teams/workplace/leads/", page({ADMIN}, 400)),
    (
        "settings-team-lead-remove",
        "post",
        "/settings/teams/network/leads/{lead_b}/remove/",
        page({ADMIN}, ok=302),
    ),
    ("settings-team-agent-add", "get", "/settings/teams/workplace/agents/new/", page({ADMIN})),
    ("settings-team-agent-add", "post", "/settings/teams/network/agents/new/", page({ADMIN}, 400)),
    ("settings-team-agent", "get", "/settings/teams/workplace/agents/{agent_a}/", page({ADMIN})),
    (
        "settings-team-agent",
        "post",
        "/settings/teams/network/agents/{agent_b}/",
        page({ADMIN}, 400),
    ),
    (
        "settings-team-agent-active",
        "post",
        "/settings/teams/network/agents/{agent_b}/active/",
        page({ADMIN}, 302),
    ),
    ("settings-team-rules", "get", "/settings/teams/workplace/delivery/", page(SETUP_A)),
    ("settings-team-rules", "post", "/settings/teams/network/delivery/", page(SETUP_B, 400)),
    ("settings-team-question", "get", "/settings/teams/workplace/question/", page(SETUP_A)),
    ("settings-team-question", "get", "/settings/teams/network/question/", page(SETUP_B)),
    ("settings-team-followup", "get", "/settings/teams/workplace/followup/", page(SETUP_A)),
    ("settings-team-followup", "post", "/settings/teams/network/followup/", page(SETUP_B, 400)),
    ("settings-team-target", "get", "/settings/teams/workplace/target/", page(SETUP_A)),
    ("settings-team-target", "get", "/settings/teams/network/target/", page(SETUP_B)),
    ("settings-team-anonymity", "get", "/settings/teams/workplace/anonymity/", page({ADMIN})),
    ("settings-surveys", "get", "/settings/surveys/", page(SURVEYS)),
    ("settings-survey-create", "get", "/settings/surveys/new/", page(SURVEYS)),
    ("settings-survey-create", "post", "/settings/surveys/new/", page(SURVEYS, 400)),
    ("settings-survey", "get", "/settings/surveys/{campaign}/", page(SURVEYS)),
    ("settings-survey", "post", "/settings/surveys/{campaign}/", page(SURVEYS, 400)),
    ("settings-survey-preview", "get", "/settings/surveys/{campaign}/preview/", page(SURVEYS)),
    # A finished survey: launching and cancelling it are refused, so every actor meets the same
    # row (the first one's launch would change what the next one finds).
    ("settings-survey-launch", "post", "/settings/surveys/{finished}/launch/", page(SURVEYS, 400)),
    ("settings-survey-cancel", "post", "/settings/surveys/{finished}/cancel/", page(SURVEYS, 400)),
    ("settings-reasons", "get", "/settings/reasons/", page(REASONS)),
    ("settings-reason-create", "get", "/settings/reasons/new/", page(REASONS)),
    ("settings-reason-create", "post", "/settings/reasons/new/", page(REASONS, 400)),
    ("settings-reason", "get", "/settings/reasons/{reason}/", page(REASONS)),
    ("settings-reason", "post", "/settings/reasons/{reason}/", page(REASONS, 400)),
    ("settings-keyword-rule-create", "get", "/settings/reasons/keywords/new/", page(REASONS)),
    ("settings-keyword-rule", "get", "/settings/reasons/keywords/{rule}/", page(REASONS)),
    ("settings-keyword-rule", "post", "/settings/reasons/keywords/{rule}/", page(REASONS, 400)),
    ("api-response-list", "get", "/api/v1/responses", api()),
    ("api-team-list", "get", "/api/v1/teams/", api()),
    ("api-team-nps", "get", "/api/v1/teams/workplace/nps", api()),
    ("api-team-trend", "get", "/api/v1/teams/workplace/trend", api()),
    ("api-tickets-closed", "post", "/api/v1/tickets/closed", api()),
    ("api-tickets-closed-batch", "post", "/api/v1/tickets/closed/batch", api()),
    ("api-ticket-events", "post", "/api/v1/tickets/jira/SD-1/events", api()),
    ("admin:index", "get", "/admin/", admin_site({ADMIN, AUDITOR, STAFF})),
    ("admin:audit", "get", "/admin/audit/auditevent/", admin_site({ADMIN, AUDITOR})),
]

# Named URLs anyone may open (the requester's pages, sign-in, the API's documentation and its
# signed webhooks): they ask no role.
PUBLIC = {
    "set_language",
    "survey",
    "survey-thanks",
    "survey-unsubscribe",
    "survey-resubscribe",
    "survey-brand-css",
    "campaign-survey",
    "campaign-thanks",
    "campaign-unsubscribe",
    "api-openapi",
    "api-docs",
    "api-hook",
    "health",  # monitoring: counts and timings only (tests/test_health.py)
    "admin-campaign-moved",  # only redirects to the admin, which asks its own permissions
}


# Sign-in and the person's own account (password, second factor, single sign-on): allauth's
# pages behind signin/, about the signed-in person only.
SIGN_IN_URLCONFS = {"signin.urls"}


def _named_urls(patterns, namespace: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in {"admin"}:  # its own permission system: rows above
                continue
            if getattr(pattern.urlconf_module, "__name__", "") in SIGN_IN_URLCONFS:
                continue
            names |= _named_urls(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"an unnamed URL cannot be checked: {pattern.pattern}"
            names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return names


def test_every_named_url_is_in_the_table():
    listed = {name for name, *_rest in TABLE} | PUBLIC
    unlisted = _named_urls(get_resolver().url_patterns) - listed
    assert not unlisted, f"add these to TABLE (who may see them?) or PUBLIC: {sorted(unlisted)}"


def _world(django_user_model) -> tuple[dict, dict]:
    """Two teams, the actors of tests/conftest.py and one row of each kind the table's URLs
    name; returns the users per actor and the ids for the paths."""
    team = TeamFactory(name="Workplace", slug="workplace")
    actors = {}
    for name, role, role_team in (
        ("alice", Role.IT_MANAGER, None),
        ("bob", Role.TEAM_LEAD, team),
        ("carol", Role.ADMINISTRATOR, None),
        ("audrey", Role.AUDITOR, None),
    ):
        actors[name] = django_user_model.objects.create_user(name, password="password")
        role_grant(user=actors[name], role=role, team=role_team)
    charlie = django_user_model.objects.create_user("charlie", password="password")
    dave = django_user_model.objects.create_user("dave", password="password")
    agent_a = AgentFactory(team=team, user=dave, email="dave@example.org", name="Dave")
    network = TeamFactory(name="Network", slug="network")
    agent_b = AgentFactory(team=network)
    TeamRules.objects.create(team=team, rate_customers=True)

    def failed(agent):
        ticket = TicketFactory(team=agent.team, agent=agent)
        return InvitationFactory(ticket=ticket, status=Invitation.Status.FAILED, attempts=5)

    def case(agent):
        response = ResponseFactory(
            invitation__ticket__team=agent.team, invitation__ticket__agent=agent, score=2
        )
        opened = response.created_at
        case = FollowUpCase.objects.create(
            response=response,
            team=agent.team,
            opening_score=2,
            latest_score=2,
            opened_at=opened,
            due_at=opened + timedelta(days=2),
        )
        return case

    case_a, case_b = case(agent_a), case(agent_b)
    connector_for("generic", team)
    ids = {
        "inv_a": failed(agent_a).pk,
        "inv_b": failed(agent_b).pk,
        "mail": CapturedEmail.objects.create(to="ann@example.org", subject="s", text="t").pk,
        "case_a": case_a.pk,
        "case_b": case_b.pk,
        "response_b": case_b.response_id,
        "ticket_a": TicketFactory(team=team, agent=agent_a).pk,
        "agent_a": agent_a.pk,
        "agent_b": agent_b.pk,
        "campaign": Campaign.objects.create(name="Autumn").pk,
        "finished": Campaign.objects.create(
            name="Summer", status=Campaign.Status.FINISHED, launched_at=NOW - timedelta(days=60)
        ).pk,
        "token": api_token_create(name="jira")[0].pk,
        "reason": Reason.objects.get(slug="speed").pk,
        "rule": KeywordRule.objects.filter(reason__slug="speed").first().pk,
        "webhook": Webhook.objects.create(
            url="https://example.org/hook", events=["response.created"]
        ).pk,
    }
    lead_b = django_user_model.objects.create_user("nina")
    role_grant(user=lead_b, role=Role.TEAM_LEAD, team=network)
    ids["lead_b"] = lead_b.pk
    staff = django_user_model.objects.create_user("stan", is_staff=True)
    users = {
        ADMIN: actors["carol"],
        MANAGER: actors["alice"],
        LEAD: actors["bob"],
        AGENT: dave,
        AUDITOR: actors["audrey"],
        STAFF: staff,
        OUTSIDER: charlie,
    }
    return users, ids


# The settings the suite's autouse fixtures give a test (tests/conftest.py), for building the
# world outside any one test.
TEST_SETTINGS = {
    "EMAIL_CAPTURED": True,
    "ITPULSE_THROTTLE_DAYS": 0,
    "ITPULSE_MAX_TICKET_AGE_DAYS": 0,
    "ITPULSE_REQUIRE_MFA": False,
}


def _session_of(user) -> str:
    """The session key of a fresh sign-in of `user`."""
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="class")
def shared_world(django_db_setup, django_db_blocker):
    """The world, built once for the whole table instead of once per row (63 times: about a
    third of this file's time). Each row's test runs inside it in a transaction of its own,
    rolled back after the row (as a Django TestCase's setUpTestData), so a POST that resends,
    revokes or deletes changes nothing the next row sees. Class-scoped: the rows after the
    table build their own actors."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with (
                time_machine.travel(NOW, tick=False),
                override_settings(**TEST_SETTINGS),
                eager_tasks(),
            ):
                users, ids = _world(get_user_model())
                # One session per actor, made once: signing in anew for each of the 441
                # actor × row requests was another third of the time. Each row's changes to
                # a session roll back with the row's transaction.
                sessions = {actor: _session_of(user) for actor, user in users.items()}
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield users, ids, sessions
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(shared_world, db, settings, frozen):
    settings.EMAIL_CAPTURED = True
    return shared_world


class TestRoleTable:
    @pytest.mark.parametrize(
        ("name", "method", "path", "expected"),
        TABLE,
        ids=[f"{name} {path}" for name, _m, path, _e in TABLE],
    )
    def test_role_table(self, client, world, name, method, path, expected):
        _users, ids, sessions = world
        url = path.format(**ids)
        wrong = []
        for actor in ACTORS:
            client.cookies = SimpleCookie()  # as client.logout(): no cookie of the previous actor
            if actor != ANONYMOUS:
                client.cookies[django_settings.SESSION_COOKIE_NAME] = sessions[actor]  # signed in
            response = getattr(client, method)(url)
            status = response.status_code
            if status != expected[actor]:
                wrong.append(f"{actor}: {status}, expected {expected[actor]}")
            elif status == 403 and (actor == OUTSIDER or (actor == STAFF and "/admin/" not in url)):
                # Not the admin's refusal (the staff flag is inside it): the page saying whom
                # to ask.
                assert is_no_role_page(response), (url, actor)
            elif status == 403 and actor in {MANAGER, LEAD, AGENT} and url.startswith("/admin/"):
                assert is_refused_page(response), (url, actor)
            elif status == 302 and actor == ANONYMOUS and not url.startswith("/api/"):
                login = "/admin/login/" if url.startswith("/admin/") else "/accounts/login/"
                assert response["Location"].startswith(login), (url, response["Location"])
        assert not wrong, f"{method.upper()} {url}: " + "; ".join(wrong)


def test_the_table_covers_every_actor_on_every_row():
    for name, _method, path, expected in TABLE:
        assert set(expected) == set(ACTORS), (name, path)


def test_a_user_who_gains_a_role_gets_in(client, charlie, team):
    client.force_login(charlie)
    assert is_no_role_page(client.get("/dashboard/teams/workplace/"))
    role_grant(user=charlie, role=Role.TEAM_LEAD, team=team)
    assert client.get("/dashboard/teams/workplace/").status_code == 200
