"""Issue 13, point 1, tried by a database administrator who knows how PostgreSQL numbers and
versions rows: an anonymous answer keeps its day only, but a row's number (the next value of a
sequence) places it between the rows written just before and after it, which for named answers
carry their exact times. No row an anonymous answer writes takes such a number."""

from datetime import timedelta

import pytest

from followups.models import KeywordRule, ResponseTag
from scoring.models import DailyScore
from surveys.models import Invitation, Reason, Response

from .conftest import NOW
from .factories import AgentFactory, InvitationFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(client, frozen):
    """`answer(team, hour)`: an answer at that hour of the day, picking "rude" and saying so."""
    rude = Reason.objects.create(slug="rude", name_en="Rude")
    KeywordRule.objects.create(reason=rude, keywords="rude")

    def make(team, hour: int) -> Response:
        team.quick_pick_reasons.add(rude)
        invitation = InvitationFactory(
            status=Invitation.Status.SENT,
            sent_at=NOW - timedelta(days=1),
            ticket__team=team,
            ticket__agent=AgentFactory(team=team),
        )
        token = invitation.new_token(NOW)
        invitation.save()
        frozen.move_to(NOW.replace(hour=hour))
        client.post(f"/s/{token}/", {"score": "2", "comment": "rude", "reasons": [rude.pk]})
        return Response.objects.get(team=team, agent=invitation.agent)

    return make


def test_no_row_number_places_an_anonymous_answer_between_named_ones(answer):
    named, hidden = TeamFactory(), TeamFactory(anonymous=True)
    before, anonymous, after = answer(named, 8), answer(hidden, 9), answer(named, 10)
    assert anonymous.is_unlinked and not before.is_unlinked

    def between(rows_of) -> bool:
        first, middle, last = (rows_of(r) for r in (before, anonymous, after))
        return first < middle < last

    through = Response.reasons.through
    assert not between(lambda r: r.pk)
    assert not between(lambda r: through.objects.get(response=r).pk)
    assert not between(lambda r: ResponseTag.objects.get(response=r, reason__slug="rude").pk)
    # The agent's count of the day was made by the anonymous answer: no sequence's number.
    made = DailyScore.objects.get(agent=anonymous.agent).pk
    assert made >= 2**62
