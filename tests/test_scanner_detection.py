import re
from datetime import timedelta

import pytest
from django.test import Client

from surveys.models import Invitation, LinkClick, Response
from surveys.scanning import client_class, scanner_figures
from surveys.services import response_submit

from .conftest import NOW
from .factories import InvitationFactory

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile"


@pytest.fixture
def sent(frozen):
    inv = InvitationFactory(status=Invitation.Status.SENT, sent_at=NOW)
    token = inv.new_token(NOW)
    inv.save()
    return inv, token


def browser():
    return Client(HTTP_USER_AGENT=FIREFOX)


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX, "browser"),
        (IPHONE, "mobile"),
        ("Microsoft Office SafeLinks scanner", "bot"),
        ("python-requests/2.32", "bot"),
        ("", "other"),
    ],
)
def test_the_user_agent_is_reduced_to_a_coarse_class(user_agent, expected):
    assert client_class(user_agent) == expected


def test_a_person_opening_one_link_later_is_recorded_not_flagged(sent, frozen):
    inv, token = sent
    frozen.shift(timedelta(minutes=12))
    assert browser().get(f"/s/{token}/?score=8").status_code == 200
    click = LinkClick.objects.get()
    assert (click.seconds_since_sent, click.score, click.client) == (720, 8, "browser")
    inv.refresh_from_db()
    assert inv.scanned_at is None
    assert not Response.objects.exists()


def test_opening_within_seconds_of_sending_flags_a_scan(sent, frozen):
    inv, token = sent
    frozen.shift(timedelta(seconds=3))
    browser().get(f"/s/{token}/?score=0")
    inv.refresh_from_db()
    assert inv.scanned_at == NOW + timedelta(seconds=3)
    assert not Response.objects.exists()


def test_several_score_links_in_a_burst_flag_a_scan(sent, frozen):
    inv, token = sent
    frozen.shift(timedelta(hours=1))
    for score in (0, 1):
        browser().get(f"/s/{token}/?score={score}")
    inv.refresh_from_db()
    assert inv.scanned_at is None  # two links: a person may have changed their mind
    frozen.shift(timedelta(seconds=2))
    browser().get(f"/s/{token}/?score=2")
    inv.refresh_from_db()
    assert inv.scanned_at == NOW + timedelta(hours=1, seconds=2)
    assert LinkClick.objects.count() == 3
    assert not Response.objects.exists()


def test_clicks_keep_nothing_personal(sent):
    _inv, token = sent
    browser().get(f"/s/{token}/?score=5", REMOTE_ADDR="10.1.2.3")
    values = [str(v) for v in LinkClick.objects.values().get().values()]
    assert not any("10.1.2.3" in v or "Firefox" in v for v in values)


def test_scanner_figures_count_scanned_and_later_answered(sent, frozen):
    inv, token = sent
    browser().get(f"/s/{token}/?score=10")  # at once: a scanner
    other = InvitationFactory(status=Invitation.Status.SENT, sent_at=NOW)
    other_token = other.new_token(NOW)
    other.save()
    frozen.shift(timedelta(hours=2))
    browser().get(f"/s/{other_token}/?score=7")
    response_submit(invitation=inv, score=6)
    assert scanner_figures() == {"opened": 2, "scanned": 1, "scanned_answered": 1}


def test_staff_see_scanned_invitations_and_later_answers_per_team(client, carol, sent, frozen):
    inv, token = sent
    browser().get(f"/s/{token}/?score=10")  # at once: a scanner
    frozen.shift(timedelta(hours=3))
    response_submit(invitation=inv, score=9)
    client.force_login(carol)
    page = client.get("/staff/scanners/")
    assert page.status_code == 200
    html = page.content.decode()
    totals = re.search(r'<dl class="row" id="scanner-totals">(.*?)</dl>', html, re.S)[1]
    assert re.findall(r"<dd[^>]*>(\d+)</dd>", totals) == ["1", "1", "1", "1"]
    assert inv.team.name in html


def test_the_scanner_page_is_for_who_runs_delivery_only(client, alice, charlie):
    assert client.get("/staff/scanners/").status_code == 302  # to the login page
    client.force_login(alice)  # the IT manager: a role, not this one
    assert client.get("/staff/scanners/").status_code == 404
    client.force_login(charlie)
    assert client.get("/staff/scanners/").status_code == 403


def test_the_scanner_page_speaks_dutch(client, carol):
    client.force_login(carol)
    page = client.get("/staff/scanners/", HTTP_ACCEPT_LANGUAGE="nl")
    assert "Geopend door een scanner" in page.content.decode()


def test_the_ticket_list_marks_scanned_invitations(client, carol, sent):
    _inv, token = sent
    client.force_login(carol)
    assert ">scanned<" not in client.get("/staff/tickets/").content.decode()
    browser().get(f"/s/{token}/?score=10")  # at once: a scanner
    assert ">scanned<" in client.get("/staff/tickets/").content.decode()
