"""Issue 17, point 2: every answer stored before ITPulse knew other scales was asked and counted
on 0–10, whatever its team's question type says. Migrated forward on a database holding the old
shape, they stay NPS answers, counted exactly as before; a "service" or "effort" team's new
answers start their own series beside them."""

from datetime import UTC, datetime

import pytest

from scoring import rollups
from scoring.selectors import team_series, team_tally
from surveys.models import Team as CurrentTeam
from surveys.services import response_submit

from .migrating import migrate, migrate_to_latest

BEFORE = [("surveys", "0012_invitation_too_old"), ("scoring", "0001_initial")]
AFTER = [("surveys", "0013_response_question_type"), ("scoring", "0002_scale_columns")]
ANSWERED = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SCORES = {"service": [9, 10, 3], "effort": [0, 7], "nps": [8]}


@pytest.mark.django_db(transaction=True)
def test_old_answers_stay_nps_answers_counted_as_they_were():
    old = migrate(BEFORE)
    Team, Requester, Ticket, Invitation, Response = (
        old.get_model("surveys", name)
        for name in ("Team", "Requester", "Ticket", "Invitation", "Response")
    )
    TeamDailyScore = old.get_model("scoring", "TeamDailyScore")
    teams = {}
    for kind, scores in SCORES.items():
        team = teams[kind] = Team.objects.create(name=kind, slug=kind, question_type=kind)
        for n, score in enumerate(scores):
            person = Requester.objects.create(email=f"{kind}{n}@example.org")
            ticket = Ticket.objects.create(
                source="jira", external_id=f"{kind}-{n}", team=team, closed_at=ANSWERED
            )
            invitation = Invitation.objects.create(
                ticket=ticket,
                requester=person,
                team=team,
                status="answered",
                send_after=ANSWERED,
                sent_at=ANSWERED,
                answered_at=ANSWERED,
            )
            Response.objects.create(
                invitation=invitation,
                team=team,
                score=score,
                created_at=ANSWERED,
                updated_at=ANSWERED,
            )
        counts = {f"s{s}": scores.count(s) for s in set(scores)}
        TeamDailyScore.objects.create(
            team=team, day=ANSWERED.date(), sent=len(scores), answered=len(scores), **counts
        )
    try:
        new = migrate(AFTER)
        Response = new.get_model("surveys", "Response")
        assert set(Response.objects.values_list("question_type", flat=True)) == {"nps"}
        assert sorted(Response.objects.values_list("score", flat=True)) == [0, 3, 7, 8, 9, 10]
        row = new.get_model("scoring", "TeamDailyScore").objects.get(team__slug="service")
        assert (row.s9, row.s10, row.s3, row.c3, row.c5, row.e3) == (1, 1, 1, 0, 0, 0)
        migrate_to_latest()
        # The stored counts equal a recount on the new rules: nothing moved.
        assert rollups.differences() == []
        service = CurrentTeam.objects.get(slug="service")
        assert service.question_type == "service"  # the team's type is left as it was set
        earlier = team_tally(service, question_type="nps").score
        assert (earlier.promoters, earlier.detractors, earlier.responses) == (2, 1, 3)
        assert team_tally(service).score.responses == 0  # its CSAT series has not begun
        assert [s.question_type for s in team_series(service)] == ["nps"]
        # An old answer changed later stays on the 0–10 it was given on.
        answered = service.invitations.get(ticket__external_id="service-2")
        answered.expires_at = None
        answered.save()
        changed = response_submit(invitation=answered, score=8, now=ANSWERED)
        assert (changed.score, changed.question_type) == (8, "nps")
        assert rollups.differences() == []
    finally:
        migrate_to_latest()
