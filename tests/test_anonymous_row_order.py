"""Issue 13, point 1, tried by a database administrator who knows how PostgreSQL numbers and
versions rows: an anonymous answer keeps its day only, but a row's number (the next value of a
sequence) places it between the rows written just before and after it, which for named answers
carry their exact times. No row an anonymous answer writes takes such a number."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from campaigns.models import Campaign, CampaignInvitation
from campaigns.services import campaign_answer_submit
from followups.models import KeywordRule, ResponseTag
from privacy.resealing import anonymous_answers_reseal
from privacy.tasks import reseal_anonymous_answers
from scoring.models import DailyScore
from surveys.models import Invitation, Reason, Response
from surveys.tasks import answer_follow_through

from .conftest import NOW
from .factories import AgentFactory, InvitationFactory, RequesterFactory, TeamFactory

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
        response = Response.objects.get(team=team, agent=invitation.agent)
        # The keyword tag comes from the answer's task, run as the worker would after the commit.
        answer_follow_through(response.pk, True)
        return response

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


def _xmins(sql: str, params: list) -> dict[int, set[str]]:
    """id → the transaction ids (xmin) of the rows the query returns as (id, xmin)."""
    found: dict[int, set[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row_id, xmin in cursor.fetchall():
            found.setdefault(row_id, set()).add(str(xmin))
    return found


@pytest.mark.django_db(transaction=True)
def test_no_transaction_id_pairs_an_anonymous_answer_with_its_invitation(client, team):
    """PostgreSQL stamps every row with the transaction that wrote it (xmin). An answer and its
    invitation's "answered" are written together, so `JOIN ... ON i.xmin = r.xmin` paired
    them; the reseal (a beat task) rewrites the recent ones together, so that it pairs none."""
    team.anonymous = True
    team.save()
    rude = Reason.objects.create(slug="rude", name_en="Rude")
    team.quick_pick_reasons.add(rude)
    invitations = []
    with time_machine.travel(NOW, tick=False) as frozen:
        for hour in (8, 9, 10):
            invitation = InvitationFactory(
                status=Invitation.Status.SENT, sent_at=NOW - timedelta(days=1), ticket__team=team
            )
            token = invitation.new_token(NOW)
            invitation.save()
            invitations.append(invitation.id)
            frozen.move_to(NOW.replace(hour=hour))
            form = {"score": "2", "comment": "rude", "reasons": [rude.pk]}
            assert client.post(f"/s/{token}/", form).status_code == 302
        anonymous_answers_reseal(now=NOW.replace(hour=11))

    person_side = _xmins(
        "SELECT id, xmin FROM surveys_invitation WHERE id = ANY(%s)", [invitations]
    )
    answer_side = _xmins(
        "SELECT r.id, r.xmin FROM surveys_response r UNION ALL "
        "SELECT t.response_id, t.xmin FROM followups_responsetag t UNION ALL "
        "SELECT p.response_id, p.xmin FROM surveys_response_reasons p",
        [],
    )
    assert len(answer_side) == 3
    for xmins in answer_side.values():
        paired = {i for i, theirs in person_side.items() if theirs & xmins}
        assert paired in (set(), set(invitations)), "an answer's xmin singles out its invitation"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT xmin::text) FROM ("
            "SELECT xmin FROM scoring_teamdailyscore UNION ALL SELECT xmin FROM scoring_dailyscore"
            ") counts"
        )
        assert cursor.fetchone()[0] == 1  # no day's count tells which answer moved it


@pytest.mark.django_db(transaction=True)
def test_nor_a_periodic_survey_answer_with_its_invitation():
    campaign = Campaign.objects.create(name="Autumn", anonymous=True, status="running")
    invitations = [
        CampaignInvitation.objects.create(
            campaign=campaign,
            requester=RequesterFactory(),
            status=CampaignInvitation.Status.SENT,
            sent_at=NOW,
            expires_at=NOW + timedelta(days=21),
        )
        for _ in range(2)
    ]
    for hour, invitation in zip((9, 10), invitations, strict=True):
        when = NOW.replace(hour=hour)
        campaign_answer_submit(invitation=invitation, score=3, answers=["More"], now=when)
    anonymous_answers_reseal(now=NOW.replace(hour=11))
    ids = [invitation.id for invitation in invitations]
    person_side = _xmins(
        "SELECT id, xmin FROM followups_campaigninvitation WHERE id = ANY(%s)", [ids]
    )
    answer_side = _xmins("SELECT id, xmin FROM followups_campaignanswer", [])
    assert len(answer_side) == 2
    for xmins in answer_side.values():
        assert {i for i, theirs in person_side.items() if theirs & xmins} in (set(), set(ids))


def test_the_beat_reseals_every_few_minutes(settings):
    [entry] = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "privacy.tasks.reseal_anonymous_answers"
    ]
    assert entry["schedule"] <= 300
    reseal_anonymous_answers.delay()  # runs (eagerly) without failing on an empty database
