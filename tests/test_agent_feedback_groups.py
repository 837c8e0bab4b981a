"""Issue 13, point 2, on the agent's own pages: an agent knows whom they helped, so an
anonymous team's answers listed one by one on "My feedback", in its export or in the agent's
weekly digest would name their writers. They appear only where enough people stand behind
them, as on the team page."""

from datetime import timedelta

import pytest
from django.core import mail

from accounts.models import Preference
from delivery.digests import digests_tick
from surveys.models import Agent, Invitation
from surveys.services import response_submit

from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory

pytestmark = pytest.mark.django_db


def _answer(agent, score, comment, *, sent_at, answered_at):
    invitation = InvitationFactory(
        status=Invitation.Status.SENT,
        sent_at=sent_at,
        ticket__team=agent.team,
        ticket__agent=agent,
        ticket__requester=RequesterFactory(),
    )
    token = invitation.new_token(sent_at)
    invitation.save()
    response_submit(
        invitation=invitation, score=score, comment=comment, token=token, now=answered_at
    )


@pytest.fixture
def anonymous_dave(dave, team, frozen):
    team.anonymous = True
    team.save()
    return Agent.objects.get(user=dave)


def test_one_persons_anonymous_answer_is_not_on_the_agents_pages(
    client, dave, alice, anonymous_dave
):
    day = NOW - timedelta(days=2)
    _answer(anonymous_dave, 2, "You never called back", sent_at=day, answered_at=day)
    client.force_login(dave)
    mine = client.get("/me/feedback/")
    assert b"You never called back" not in mine.content and b"data-withheld" in mine.content
    assert mine.context["score"].responses == 0
    export = client.get("/me/feedback/export.csv").getvalue().decode("utf-8-sig")
    assert export.splitlines() == ["answered_at,ticket,score,comment"]
    client.force_login(alice)
    theirs = client.get(f"/agents/{anonymous_dave.pk}/feedback/")
    assert b"You never called back" not in theirs.content


def test_five_peoples_anonymous_answers_are_shown(client, dave, anonymous_dave):
    day = NOW - timedelta(days=2)
    for i in range(5):
        _answer(anonymous_dave, 9, f"thanks {i}", sent_at=day, answered_at=day)
    client.force_login(dave)
    mine = client.get("/me/feedback/")
    assert b"thanks 0" in mine.content and b"data-withheld" not in mine.content
    assert mine.context["score"].responses == 5
    assert client.get("/me/feedback/export.csv").getvalue().decode("utf-8-sig").count("thanks") == 5


def test_the_agents_digest_does_not_show_one_answer_among_five_surveyed(dave, anonymous_dave):
    """Five surveyed last week; one answered then, four only today: last week's digest holds
    one person's answer, so the agent gets none."""
    dave.email = "dave@example.org"
    dave.save()
    Preference.objects.create(user=dave, digest_weekday=2, digest_hour=9)
    sent = NOW - timedelta(days=3)
    _answer(anonymous_dave, 2, "You never called back", sent_at=sent, answered_at=sent)
    for i in range(4):
        _answer(anonymous_dave, 9, f"thanks {i}", sent_at=sent, answered_at=NOW)
    digests_tick.delay()
    assert mail.outbox == []
