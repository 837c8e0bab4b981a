"""The Content-Security-Policy in a real Chromium: no page breaks it (issue 14).

The header test (tests/test_headers.py) reads the policy and the HTML; this one lets the browser
enforce it, which also catches what only runs there: a script that sets a style attribute, the
admin's widgets, the captured mail shown in its sandboxed frame. Chromium reports every blocked
script, style or image as a `securitypolicyviolation` event and a console error.
"""

import pytest
from django.conf import settings
from django.test import Client

from ..site import admin_urls, page_urls, site_with_everything
from .conftest import DESKTOP

pytestmark = pytest.mark.django_db(transaction=True)

# In every frame, before the page's own code: keep each violation where the test can read it.
RECORD = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def site(django_user_model, team):
    return site_with_everything(django_user_model, team)


@pytest.fixture
def browser_page(new_page, live_server, site):
    """A Chromium page signed in as the site's user, recording CSP complaints."""
    client = Client()
    client.force_login(site.user)
    page = new_page(DESKTOP)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.add_init_script(RECORD)
    page.complaints = []
    page.on(
        "console",
        lambda message: (
            page.complaints.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    page.test_client = client
    return page


def html_pages(client: Client, urls: list[str]) -> list[str]:
    """The URLs that answer a GET with an HTML page (not an export, an API answer or a 405)."""
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


def violations(page) -> list[str]:
    found = list(page.complaints)
    for frame in page.frames:
        found += frame.evaluate("window.__violations || []")
    return found


def test_no_staff_page_or_admin_page_breaks_the_policy(browser_page, live_server, site):
    page = browser_page
    urls = html_pages(page.test_client, page_urls(site) + admin_urls())
    assert len(urls) >= 60
    broken = {}
    for url in urls:
        page.complaints.clear()
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        if found := violations(page):
            broken[url] = found
    assert broken == {}


def test_the_admins_scripts_run_under_the_policy(browser_page, live_server, site):
    """The admin's own JavaScript works: the date widgets draw their calendar links."""
    page = browser_page
    page.goto(f"{live_server.url}/admin/surveys/ticket/add/")
    assert page.locator(".datetimeshortcuts a").count() >= 2
    page.goto(f"{live_server.url}/admin/auth/user/{site.user.pk}/change/")
    assert page.locator("#nav-sidebar").count() == 1
    assert violations(page) == []


def test_the_captured_mail_is_shown_with_its_own_styles(browser_page, live_server, site):
    page = browser_page
    mail = site.kwargs["sent-mail-detail"]["pk"]
    page.goto(f"{live_server.url}/staff/mail/{mail}/")
    frame = page.frame_locator("iframe.mail-preview")
    background = frame.locator("body").evaluate("body => getComputedStyle(body).backgroundColor")
    assert background == "rgb(244, 245, 247)"  # the mail's inline style="background:#f4f5f7"
    assert violations(page) == []
