"""The survey as a person answers it: from the e-mail's link, by keyboard, without JavaScript."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from delivery.services import invitation_send
from surveys.demo import load_demo
from surveys.models import Invitation, Reason, Response
from tests.factories import AgentFactory, InvitationFactory, RequesterFactory, TicketFactory

from .conftest import DESKTOP, PHONE, screenshot, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def emailed(live_server, settings):
    """A survey e-mail sent for a real ticket, with links pointing at the live server."""
    settings.ITPULSE_BASE_URL = live_server.url
    settings.ITPULSE_ORGANISATION = "Gemeente Voorbeeld"
    ticket = TicketFactory(
        external_id="SD-123",
        subject="Laptop will not start",
        team__name="Workplace",
        team__slug="workplace",
        requester=RequesterFactory(name="Ann", language="en"),
        agent=AgentFactory(name="Sanne"),
    )
    for slug, english, position in (("speed", "Speed", 0), ("solution", "Solution", 2)):
        reason, _ = Reason.objects.get_or_create(
            slug=slug, defaults={"name_en": english, "position": position}
        )
        ticket.team.quick_pick_reasons.add(reason)
    invitation = InvitationFactory(ticket=ticket)
    assert invitation_send(invitation_id=invitation.id)
    html = mail.outbox[-1].alternatives[0][0]
    links = dict(
        (int(score), url) for url, score in re.findall(r'href="([^"]+\?score=(\d+))"', html)
    )
    assert sorted(links) == list(range(11))
    return invitation, links


def focused(page) -> dict:
    return page.evaluate(
        "() => ({tag: document.activeElement.tagName, type: document.activeElement.type,"
        " name: document.activeElement.name, value: document.activeElement.value,"
        " text: document.activeElement.textContent.trim()})"
    )


def tab_to(page, predicate, limit=40) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if predicate(element):
            return element
    raise AssertionError("never reached the element by Tab")


def test_answer_and_change_by_keyboard_without_javascript(emailed, new_page):
    invitation, links = emailed
    # No JavaScript at all: the page must work as plain HTML.
    page = new_page(PHONE, java_script_enabled=False)
    posts = []
    page.on("request", lambda r: r.method == "POST" and posts.append(r.all_headers()))
    page.goto(links[7])
    assert page.locator("input[name=score][value='7']").is_checked()
    assert not Response.objects.exists()  # opening a link is not an answer

    radio = tab_to(page, lambda e: e["name"] == "score")
    assert radio["value"] == "7"  # Tab lands on the chosen score
    page.keyboard.press("ArrowRight")
    assert page.locator("input[name=score][value='8']").is_checked()
    tab_to(page, lambda e: e["name"] == "reasons")
    page.keyboard.press("Space")
    tab_to(page, lambda e: e["tag"] == "TEXTAREA")
    page.keyboard.type("Fixed in ten minutes, thanks!")
    button = tab_to(page, lambda e: e["tag"] == "BUTTON")
    assert button["text"] == "Send my answer"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/thanks/"))
    assert page.get_by_role("heading", name="Thank you for your answer").is_visible()

    answer = Response.objects.get(invitation=invitation)
    assert (answer.score, answer.comment) == (8, "Fixed in ten minutes, thanks!")
    assert [r.slug for r in answer.reasons.all()] == ["speed"]
    # Referrer-Policy: no-referrer makes Chromium post with "Origin: null"; CSRF still passes.
    assert posts and posts[0].get("origin") == "null"

    link = tab_to(page, lambda e: e["tag"] == "A" and e["text"] == "Change my answer")
    assert link
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/s/[\w-]+/$"))
    assert page.locator("input[name=score][value='8']").is_checked()
    tab_to(page, lambda e: e["name"] == "score")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    tab_to(page, lambda e: e["tag"] == "BUTTON")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/thanks/"))
    answer.refresh_from_db()
    assert answer.score == 6 and answer.comment == "Fixed in ten minutes, thanks!"
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.ANSWERED


def test_the_language_switch_works_without_javascript(emailed, new_page):
    _invitation, links = emailed
    page = new_page(PHONE, java_script_enabled=False)
    page.goto(links[9])
    page.get_by_role("link", name="Nederlands").click()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("button", name="Mijn antwoord versturen").is_visible()
    assert page.locator("input[name=score][value='9']").is_checked()


def test_pages_have_no_serious_accessibility_violations(emailed, new_page, live_server, alice):
    invitation, links = emailed
    # axe-core is injected by the test, so this context lets it past the pages' CSP.
    page = new_page(PHONE, bypass_csp=True)
    page.goto(links[10])
    assert serious_violations(page) == [], "survey page"
    screenshot(page, "survey-phone.png")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "survey-desktop.png")
    page.set_viewport_size(PHONE)

    page.get_by_role("button", name="Send my answer").click()
    page.wait_for_url(re.compile(r"/thanks/"))
    assert serious_violations(page) == [], "thank-you page"

    token_url = links[0].split("?")[0]
    page.goto(token_url + "unsubscribe/")
    assert serious_violations(page) == [], "unsubscribe page"

    Invitation.objects.filter(pk=invitation.pk).update(status=Invitation.Status.EXPIRED)
    page.goto(links[3])
    assert page.get_by_role("heading", name="This survey has closed").is_visible()
    assert serious_violations(page) == [], "expired page"

    page.goto(f"{live_server.url}/s/not-a-token/")
    assert serious_violations(page) == [], "unknown link page"

    # Two months of the demo organisation, so the dashboard shows (and axe checks) real numbers.
    load_demo(now=timezone.now(), days=60)
    desk = new_page(DESKTOP, bypass_csp=True)
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.get_by_label("Username").fill("alice")
    desk.get_by_label("Password").fill("password")
    desk.get_by_role("button", name=re.compile("log in", re.I)).click()
    desk.goto(f"{live_server.url}/dashboard/")
    assert serious_violations(desk) == [], "dashboard"
    screenshot(desk, "dashboard.png")
