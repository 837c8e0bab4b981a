"""The dashboard's team page in a real browser: charts, tables and filters pass axe-core."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from ..factories import AgentFactory, ResponseFactory
from .conftest import DESKTOP, PHONE, screenshot, serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def answered(team):
    now = timezone.now()
    agents = [AgentFactory(team=team, name=name) for name in ("Ann Berg", "Ben Smit", "Cor Vos")]
    comments = ["Quick and friendly", "Took three days", "", "Printer works again", ""]
    for i in range(120):
        when = now - timedelta(days=i * 3 % 170, hours=i % 7)
        ResponseFactory(
            invitation__ticket__team=team,
            invitation__ticket__agent=agents[i % 3],
            invitation__sent_at=when - timedelta(hours=1),
            score=(i * 7) % 11,
            comment=comments[i % 5],
            created_at=when,
        )
    return team


def test_the_team_page_has_no_serious_accessibility_violations(
    answered, new_page, live_server, alice
):
    page = new_page(DESKTOP, bypass_csp=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("password")
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.goto(f"{live_server.url}/dashboard/teams/workplace/?period=365")
    assert page.locator("svg polygon").count() >= 1  # the margin band is drawn
    assert serious_violations(page) == [], "team page"
    screenshot(page, "team-page.png")
    page.get_by_label("Category", exact=True).select_option("detractor")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"category=detractor"))
    assert serious_violations(page) == [], "team page, filtered"
    page.set_viewport_size(PHONE)
    assert serious_violations(page) == [], "team page on a phone"
    page.goto(f"{live_server.url}/dashboard/")
    assert serious_violations(page) == [], "overview"
