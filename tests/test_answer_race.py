"""One answer per invitation under a race: two submits of the same link at the same moment (a
double click, a phone and a laptop) give one response, for named and anonymous teams alike.
On PostgreSQL with real concurrent transactions; the invitation's row lock in response_submit
is what serialises them."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from scoring.rollups import differences
from surveys.models import Invitation, Response
from surveys.services import response_submit

from .factories import InvitationFactory

ROUNDS = 4


def _race(invitation, token, scores):
    barrier = threading.Barrier(len(scores))
    errors = []

    def submit(score):
        try:
            barrier.wait(timeout=10)
            response_submit(invitation=invitation, score=score, token=token)
        except Exception as error:  # any failure is the finding
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(score,)) for score in scores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("anonymous", [False, True], ids=["named", "anonymous"])
def test_two_submits_of_one_link_at_once_give_one_answer(anonymous):
    now = timezone.now()
    for _ in range(ROUNDS):
        invitation = InvitationFactory(
            status=Invitation.Status.SENT,
            sent_at=now,
            ticket__team__anonymous=anonymous,
        )
        token = invitation.new_token(now)
        invitation.expires_at = now + timedelta(days=14)
        invitation.save()
        assert _race(invitation, token, [2, 9]) == []
        team_answers = Response.objects.filter(team=invitation.team)
        assert team_answers.count() == 1
        assert team_answers.get().score in (2, 9)
    assert differences() == []
