"""E-mail subjects and text parts are plain text (issue 17, point 6): a team called
"Service & Support" and a comment with "<b>" arrive as written, never as "&amp;" or "&lt;b&gt;";
only the HTML part escapes them."""

from datetime import timedelta

import pytest
from django.core import mail

from accounts.models import Preference
from delivery.digests import digests_tick
from delivery.services import invitation_send
from followups.alerts import case_alert_email
from followups.models import FollowUpCase
from surveys.models import Agent, Invitation

from .answering import answer_and_follow
from .conftest import NOW
from .factories import (
    AgentFactory,
    InvitationFactory,
    RequesterFactory,
    ResponseFactory,
    TeamFactory,
    TicketFactory,
)

pytestmark = pytest.mark.django_db

TEAM = "Service & Support"
COMMENT = "<b>Slow</b> & rude"


def _html(message) -> str:
    return message.alternatives[0][0]


def test_the_survey_subject_is_not_escaped(frozen):
    team = TeamFactory(name=TEAM, slug="service")
    ticket = TicketFactory(
        team=team, agent=AgentFactory(team=team, name="Jan & Piet"), external_id="SD-1"
    )
    assert invitation_send(invitation_id=InvitationFactory(ticket=ticket).id)
    message = mail.outbox[-1]
    assert message.subject == (
        "How would you rate the help you got from Jan & Piet (Service & Support team) with SD-1?"
    )
    assert "&amp;" not in message.body
    assert "Service &amp; Support" in _html(message)


def test_the_follow_up_alert_names_team_and_comment_as_written(
    team, bob, frozen, django_capture_on_commit_callbacks
):
    team.name = TEAM
    team.save()
    invitation = InvitationFactory(
        ticket=TicketFactory(team=team, requester=RequesterFactory(name="Ann"), external_id="X"),
        status=Invitation.Status.SENT,
        sent_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=14),
    )
    with django_capture_on_commit_callbacks(execute=False):
        response = answer_and_follow(invitation=invitation, score=2, comment=COMMENT)
    case = FollowUpCase.objects.get(response=response)
    message = case_alert_email(case, bob)
    assert message.subject == "Follow up: score 2 for Service & Support on X"
    assert TEAM in message.body and COMMENT in message.body
    assert "&amp;" not in message.body and "&lt;" not in message.body
    html = _html(message)
    assert "&lt;b&gt;Slow&lt;/b&gt; &amp; rude" in html and "<b>Slow</b>" not in html


def test_the_agents_digest_quotes_the_comment_as_written(team, dave, frozen):
    dave.email = "dave@example.org"
    dave.save()
    Preference.objects.create(user=dave, digest_weekday=2, digest_hour=9)
    when = NOW - timedelta(days=2)
    ResponseFactory(
        invitation__ticket__team=team,
        invitation__ticket__agent=Agent.objects.get(user=dave),
        invitation__sent_at=when - timedelta(hours=1),
        score=4,
        comment=COMMENT,
        created_at=when,
    )
    digests_tick.delay()
    [message] = mail.outbox
    assert COMMENT in message.body and "&lt;" not in message.body
    assert "<b>Slow</b>" not in _html(message)
