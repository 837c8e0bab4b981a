"""The survey e-mail: wording per team, branding, footer and one-click unsubscribe."""

import re

import pytest
from django.core import mail

from delivery.services import invitation_send
from surveys.models import QuestionType

from .factories import AgentFactory, InvitationFactory, RequesterFactory, TeamFactory, TicketFactory

pytestmark = pytest.mark.django_db


def send(language="en", **team_fields):
    team = TeamFactory(name="Workplace", slug="workplace", **team_fields)
    ticket = TicketFactory(
        team=team,
        agent=AgentFactory(team=team, name="Sanne"),
        requester=RequesterFactory(language=language, name="Ann"),
        external_id="SD-123",
    )
    inv = InvitationFactory(ticket=ticket)
    assert invitation_send(invitation_id=inv.id)
    return mail.outbox[-1]


def test_the_subject_names_agent_team_and_ticket(frozen):
    message = send()
    assert message.subject == (
        "How would you rate the help you got from Sanne (Workplace team) with SD-123?"
    )


def test_the_dutch_mail_is_dutch_throughout(frozen):
    message = send(language="nl")
    assert message.subject == "Hoe beoordeelt u de hulp van Sanne (team Workplace) bij SD-123?"
    html = message.alternatives[0][0]
    assert 'lang="nl"' in html and "Geen enquêtes meer ontvangen" in html
    assert "Hoe waarschijnlijk is het dat u" in message.body and "0 = " in message.body


def test_a_team_that_hides_agents_is_not_named_by_agent(frozen):
    message = send(show_agent=False)
    assert "Sanne" not in message.subject + message.body + message.alternatives[0][0]
    assert "Workplace team" in message.subject


def test_the_teams_question_and_scale_are_in_the_mail(frozen):
    message = send(question_type=QuestionType.EFFORT)
    html = message.alternatives[0][0]
    assert "How easy did the Workplace team make it to get your request handled?" in html
    assert "1 = very hard" in html and "7 = very easy" in html


@pytest.mark.parametrize(
    ("question_type", "scores", "ends"),
    [
        (QuestionType.NPS, range(0, 11), ("0 = not at all likely", "10 = extremely likely")),
        (QuestionType.SERVICE, range(1, 6), ("1 = very dissatisfied", "5 = very satisfied")),
        (QuestionType.EFFORT, range(1, 8), ("1 = very hard", "7 = very easy")),
    ],
)
def test_each_question_type_mails_its_own_scale(frozen, question_type, scores, ends):
    """Issue 17, point 2: a CSAT team's mail offers 1–5, a CES team's 1–7, both parts."""
    message = send(question_type=question_type)
    html = message.alternatives[0][0]
    linked = [int(s) for s in re.findall(r'<a href="[^"]+\?score=(\d+)"', html)]
    assert linked == list(scores)
    assert f"out of {scores[-1]}" in html
    assert re.findall(r"^(\d+): http", message.body, re.M) == [str(s) for s in scores]
    assert all(end in html and end in message.body for end in ends)


def test_html_is_outlook_friendly_with_eleven_buttons_in_the_brand_colour(frozen, settings):
    settings.ITPULSE_COLOUR = "#ffd700"
    settings.ITPULSE_LOGO = "branding/logo.png"
    settings.ITPULSE_ORGANISATION = "Gemeente Utrecht"
    html = send().alternatives[0][0]
    assert 'role="presentation"' in html and "<table" in html and "<div" not in html
    buttons = re.findall(r'<a href="[^"]+\?score=\d+" style="([^"]+)"', html)
    assert len(buttons) == 11
    assert all("background:#ffd700" in style and "color:#000000" in style for style in buttons)
    assert 'src="http://127.0.0.1:8000/static/branding/logo.png"' in html
    assert 'alt="Gemeente Utrecht"' in html


def test_the_footer_says_why_and_offers_one_click_opt_out(frozen):
    message = send()
    unsubscribe = re.search(r"http://127\.0\.0\.1:8000/s/[\w-]+/unsubscribe/", message.body)[0]
    assert unsubscribe in message.alternatives[0][0]
    assert "because the IT department closed your request SD-123" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_text_part_is_not_html_escaped(frozen):
    team = TeamFactory(slug="ops", name="Ops & Infra")
    ticket = TicketFactory(team=team, subject="Printer <3rd floor>")
    invitation_send(invitation_id=InvitationFactory(ticket=ticket).id)
    assert "Ops & Infra" in mail.outbox[-1].body and "<3rd floor>" in mail.outbox[-1].body
