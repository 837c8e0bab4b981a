"""The survey page as a requester meets it: question, quick picks, language, privacy headers."""

import re
from datetime import timedelta

import pytest
from django.test import Client

from surveys.models import Invitation, QuestionType, Reason, Response

from .conftest import NOW
from .factories import AgentFactory, InvitationFactory, RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db


def make_sent(language="en", **team_fields):
    ticket = TicketFactory(
        requester=RequesterFactory(language=language),
        agent=AgentFactory(name="Sanne"),
        external_id="SD-123",
        team__name="Workplace",
        team__slug="workplace",
        **{f"team__{k}": v for k, v in team_fields.items()},
    )
    ticket.agent.team = ticket.team
    inv = InvitationFactory(ticket=ticket, status=Invitation.Status.SENT, sent_at=NOW)
    token = inv.new_token(NOW)
    inv.save()
    return inv, token


@pytest.fixture
def sent(frozen):
    return make_sent()


def test_the_page_names_ticket_team_and_agent_and_asks_the_teams_question(client, frozen):
    _inv, token = make_sent(question_type=QuestionType.NPS)
    page = client.get(f"/s/{token}/?score=9").content.decode()
    assert "How likely are you to recommend the Workplace team to a colleague?" in page
    assert "SD-123" in page and "Sanne" in page
    assert "0 = not at all likely" in page and "10 = extremely likely" in page


def test_a_team_can_keep_its_agents_unnamed(client, frozen):
    _inv, token = make_sent(show_agent=False)
    page = client.get(f"/s/{token}/").content.decode()
    assert "Workplace" in page and "Sanne" not in page


def test_the_edited_follow_up_question_labels_the_comment(client, frozen):
    _inv, token = make_sent(follow_up_en="What should Sanne keep doing?")
    page = client.get(f"/s/{token}/").content.decode()
    assert re.search(
        r'<label[^>]*for="id_comment">What should Sanne keep doing\? \(optional\)', page
    )


def test_quick_pick_reasons_are_offered_and_stored(client, sent):
    inv, token = sent
    speed, attitude = Reason.objects.get(slug="speed"), Reason.objects.get(slug="attitude")
    inv.team.quick_pick_reasons.set([speed, attitude])
    page = client.get(f"/s/{token}/").content.decode()
    assert 'type="checkbox"' in page and "Speed" in page and "Attitude" in page
    assert "Solution" not in page
    client.post(f"/s/{token}/", {"score": "10", "reasons": [speed.pk]})
    assert list(Response.objects.get().reasons.all()) == [speed]
    # A reason the team does not offer is refused, not stored.
    solution = Reason.objects.get(slug="solution")
    response = client.post(f"/s/{token}/", {"score": "10", "reasons": [solution.pk]})
    assert response.status_code == 200
    assert list(Response.objects.get().reasons.all()) == [speed]


def test_no_quick_picks_without_configured_reasons(client, sent):
    _inv, token = sent
    assert b'type="checkbox"' not in client.get(f"/s/{token}/").content


def test_the_language_switch_changes_the_page_and_keeps_the_score(client, sent):
    _inv, token = sent
    page = client.get(f"/s/{token}/?score=4&lang=nl")
    assert page["Content-Language"] == "nl"
    html = page.content.decode()
    assert "Mijn antwoord versturen" in html
    assert 'value="4" checked' in html
    assert f'href="/s/{token}/?score=4&amp;lang=en"' in html
    answer = client.post(f"/s/{token}/?score=4&lang=nl", {"score": "4"})
    assert answer["Location"] == f"/s/{token}/thanks/?lang=nl"
    thanks = client.get(answer["Location"])
    assert thanks["Content-Language"] == "nl" and "Bedankt" in thanks.content.decode()


def test_survey_pages_load_nothing_from_other_hosts(client, sent):
    _inv, token = sent
    client.post(f"/s/{token}/", {"score": "7"})
    for url in [f"/s/{token}/", f"/s/{token}/thanks/", f"/s/{token}/unsubscribe/", "/s/nope/"]:
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "form-action 'self'" in csp, url
        assert "script-src" not in csp and "http" not in csp, url
        assert response["Referrer-Policy"] == "no-referrer", url
        assert "no-store" in response["Cache-Control"], url
        html = response.content.decode()
        assert not re.search(r'(src|href)="(https?:)?//', html), url
        assert "<script" not in html and "style=" not in html, url


def test_staff_pages_keep_their_own_policy(client, carol):
    # The site's policy (tests/test_headers.py), not the survey pages' stricter one.
    client.force_login(carol)
    policy = client.get("/staff/tickets/")["Content-Security-Policy"]
    assert policy.startswith("default-src 'self'; script-src 'self';"), policy


def test_the_brand_colour_comes_as_css(client, settings, db):
    settings.ITPULSE_COLOUR = "#ffd700"  # light: text on it must be black
    css = client.get("/survey-brand.css").content.decode()
    assert "--itp-brand:#ffd700" in css and "--itp-brand-text:#000000" in css


def test_the_expired_page_speaks_the_requesters_language(client, frozen):
    _inv, token = make_sent(language="nl")
    frozen.shift(timedelta(days=15))
    response = client.get(f"/s/{token}/")
    assert response.status_code == 410 and response["Content-Language"] == "nl"
    assert "Deze enquête is gesloten" in response.content.decode()


def test_a_null_origin_post_from_our_own_page_passes_csrf(sent):
    # Referrer-Policy: no-referrer makes browsers send "Origin: null" with the form's POST.
    _inv, token = sent
    person = Client(enforce_csrf_checks=True)
    page = person.get(f"/s/{token}/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    data = {"score": "8", "csrfmiddlewaretoken": csrf}
    forged = person.post(f"/s/{token}/", data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="cross-site")
    assert forged.status_code == 403 and not Response.objects.exists()
    other_site = person.post(f"/s/{token}/", data, HTTP_ORIGIN="https://evil.example")
    assert other_site.status_code == 403 and not Response.objects.exists()
    no_token = person.post(
        f"/s/{token}/", {"score": "8"}, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert no_token.status_code == 403 and not Response.objects.exists()
    own = person.post(f"/s/{token}/", data, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin")
    assert own.status_code == 302 and Response.objects.get().score == 8


def test_https_post_without_referer_passes_when_the_browser_says_same_origin(sent, settings):
    _inv, token = sent
    person = Client(enforce_csrf_checks=True)
    page = person.get(f"/s/{token}/", secure=True)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    data = {"score": "6", "csrfmiddlewaretoken": csrf}
    response = person.post(
        f"/s/{token}/", data, secure=True, HTTP_ORIGIN="null", HTTP_SEC_FETCH_SITE="same-origin"
    )
    assert response.status_code == 302


def test_thanks_page_of_an_anonymous_team_promises_no_call_back(client, frozen):
    _inv, token = make_sent(anonymous=True)
    client.post(f"/s/{token}/", {"score": "3"})
    page = client.get(f"/s/{token}/thanks/").content.decode()
    assert "anonymous" in page and "may contact you" not in page


def test_thanks_page_says_what_happens_next(client, sent):
    _inv, token = sent
    client.post(f"/s/{token}/", {"score": "3", "comment": "slow"})
    page = client.get(f"/s/{token}/thanks/").content.decode()
    assert "What happens next" in page and "may contact you" in page
    assert "Your comment was saved too." in page and "Change my answer" in page
