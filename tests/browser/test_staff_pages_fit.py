"""Every staff page fits a phone and a wide screen, in Dutch and English (issue 17, point 4).

The pages are those the role table (tests/test_access_roles.py) says each role reaches with a
GET, in the same world, so a page added to the table is checked here without a new line; plus
the account pages behind /accounts/ (one role suffices: they differ only in the menu). On each
page, at 390 px in Dutch and in English and at 1,440 px: the document is no wider than the
window (a wide table scrolls inside its own box, never the page), and axe-core finds no serious
or critical violation. The menu folds behind a toggler below 1,200 px and opens with and
without JavaScript.
"""

import re

import pytest
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from followups.models import KeywordRule
from surveys.emails import build_survey_email
from surveys.models import CapturedEmail, Invitation, Reason

from ..factories import InvitationFactory
from ..test_access_roles import ADMIN, ROLES, TABLE, _world
from .conftest import PHONE, WIDE, overflow, serious_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = [(PHONE, "nl"), (PHONE, "en"), (WIDE, "nl")]


def answers_html(client: Client, url: str) -> bool:
    response = client.get(url)
    return response.status_code == 200 and response["Content-Type"].startswith("text/html")


def account_urls() -> list[str]:
    """The signed-in person's own pages behind /accounts/ (allauth's, without parameters)."""

    def walk(patterns, inside: bool) -> list[str]:
        names = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                module = getattr(pattern.urlconf_module, "__name__", "")
                names += walk(pattern.url_patterns, inside or module == "signin.urls")
            elif inside and isinstance(pattern, URLPattern) and pattern.name:
                names.append(pattern.name)
        return names

    urls = []
    for name in walk(get_resolver().url_patterns, False):
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue  # a page about one thing (a provider, a key): not an account page
    return list(dict.fromkeys(urls))


def role_pages(role: str, user, ids: dict) -> list[str]:
    """The HTML pages the role table lets `role` open with a GET (the admin aside)."""
    client = Client()
    client.force_login(user)
    urls = [
        path.format(**ids)
        for _name, method, path, expected in TABLE
        if method == "get" and expected[role] == 200 and not path.startswith("/admin/")
    ]
    if role == ADMIN:
        urls += [reverse("api-docs"), *account_urls()]
    return [url for url in dict.fromkeys(urls) if answers_html(client, url)]


@pytest.fixture
def world(django_user_model, settings):
    settings.EMAIL_CAPTURED = True  # the sent-mail pages exist only then
    # A live-server test runs in a flushed database when another one ran before it in the same
    # process, so the starter reason and keyword rule the data migrations made may be gone.
    speed, _ = Reason.objects.get_or_create(slug="speed", defaults={"name_en": "Speed"})
    if not KeywordRule.objects.filter(reason=speed).exists():
        KeywordRule.objects.create(reason=speed, keywords="slow")
    users, ids = _world(django_user_model)
    # The captured mail a real survey sends (its links and wide HTML), not the table's stub.
    survey = InvitationFactory(ticket__team__slug="mail", status=Invitation.Status.SENT)
    message = build_survey_email(survey, survey.new_token(timezone.now()))
    survey.save()
    ids["mail"] = CapturedEmail.objects.create(
        to=message.to[0],
        subject=message.subject,
        text=message.body,
        html=message.alternatives[0][0],
    ).pk
    return users, ids


# The fewest pages each role must have had checked: a role table that loses its rows, or a
# world that stops answering, must not pass by checking nothing.
AT_LEAST = {"administrator": 20, "it_manager": 15, "lead": 10, "agent": 5, "auditor": 3}


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_fits_and_passes_axe(role, world, new_page, live_server):
    users, ids = world
    urls = role_pages(role, users[role], ids)
    assert len(urls) >= AT_LEAST[role], urls
    problems = {}
    for viewport, language in SIZES:
        page = new_page(viewport, bypass_csp=True)  # axe is injected as a script
        sign_in(page, users[role], live_server.url, language)
        for url in urls:
            page.goto(live_server.url + url)
            where = f"{url} at {viewport['width']} px in {language}"
            assert page.locator("html").get_attribute("lang") == language, where
            if too_wide := overflow(page):
                problems[where] = f"{too_wide} px wider than the window"
            elif found := serious_violations(page):
                problems[where] = found
    assert problems == {}


def test_the_menu_folds_on_a_phone_and_opens(world, new_page, live_server):
    users, _ids = world
    page = new_page(PHONE)  # under the site's Content-Security-Policy: Bootstrap's own script
    sign_in(page, users[ADMIN], live_server.url, "nl")
    page.goto(f"{live_server.url}/dashboard/")
    settings_link = page.locator("#main-menu").get_by_role("link", name="Instellingen")
    assert settings_link.is_hidden()
    page.get_by_role("button", name="Hoofdmenu").click()
    settings_link.wait_for(state="visible")
    assert page.get_by_role("button", name="Hoofdmenu").get_attribute("aria-expanded") == "true"

    wide = new_page(WIDE)
    sign_in(wide, users[ADMIN], live_server.url, "en")
    wide.goto(f"{live_server.url}/dashboard/")
    assert wide.get_by_role("button", name="Main menu").is_hidden()
    assert wide.locator("#main-menu").get_by_role("link", name="Settings").is_visible()


def test_without_javascript_the_menu_is_open(world, new_page, live_server):
    users, _ids = world
    page = new_page(PHONE, java_script_enabled=False)
    sign_in(page, users[ADMIN], live_server.url, "en")
    page.goto(f"{live_server.url}/dashboard/")
    assert page.locator("#main-menu").get_by_role("link", name="Settings").is_visible()
    assert page.get_by_role("button", name=re.compile("Main menu")).is_hidden()
    assert overflow(page) == 0
