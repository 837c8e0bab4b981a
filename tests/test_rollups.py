"""The per-day rollups must always equal a recount of the raw rows, whatever happened."""

import io
import random
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from scoring.models import DailyScore, TeamDailyScore
from scoring.rollups import rebuild
from surveys.models import Invitation, Response
from surveys.services import response_delete, response_submit, ticket_close

from .conftest import NOW
from .factories import AgentFactory, InvitationFactory, TeamFactory

# check_rollups after each test: every one of them changes or deletes counted rows. On both
# databases: the counts are one hand-written upsert (scoring/rollups.py: _upsert).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("rollups_checked"),
    pytest.mark.both_databases,
]

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def recount() -> tuple[dict, dict]:
    """Expected non-empty rollup rows, counted in Python from the raw rows."""
    teams, agents = {}, {}

    def day(instant):
        return instant.astimezone(AMSTERDAM).date()

    for response in Response.objects.all():
        key = (response.team_id, day(response.created_at))
        teams.setdefault(key, Counter())[f"s{response.score}"] += 1
        if response.agent_id:
            agent_key = (response.team_id, day(response.created_at), response.agent_id)
            agents.setdefault(agent_key, Counter())[f"s{response.score}"] += 1
    for invitation in Invitation.objects.filter(sent_at__isnull=False):
        counts = teams.setdefault((invitation.team_id, day(invitation.sent_at)), Counter())
        counts["sent"] += 1
        counts["answered"] += Response.objects.filter(invitation=invitation).exists()
    return teams, agents


def stored() -> tuple[dict, dict]:
    def nonzero(row, fields):
        return Counter({f: getattr(row, f) for f in fields if getattr(row, f)})

    histogram = [f"s{i}" for i in range(11)]
    teams = {
        (r.team_id, r.day): nonzero(r, [*histogram, "sent", "answered"])
        for r in TeamDailyScore.objects.all()
    }
    agents = {
        (r.team_id, r.day, r.agent_id): nonzero(r, histogram) for r in DailyScore.objects.all()
    }
    drop_empty = lambda rows: {k: v for k, v in rows.items() if v}  # noqa: E731
    return drop_empty(teams), drop_empty(agents)


@pytest.mark.parametrize("seed", range(6))
def test_rollups_equal_a_recount_after_random_answers_changes_and_deletes(
    seed, django_capture_on_commit_callbacks
):
    rng = random.Random(seed)
    teams = [TeamFactory(), TeamFactory()]
    agents = {team: [AgentFactory(team=team).email for _ in range(2)] + [""] for team in teams}
    # Times around midnight in Amsterdam (23:00 UTC in winter), where UTC and local days differ.
    start = NOW.replace(hour=21)
    for step in range(120):
        when = start + timedelta(hours=step * 2.5 + rng.random())
        with time_machine.travel(when, tick=False):
            action = rng.random()
            answerable = list(Invitation.objects.filter(status__in=Invitation.ANSWERABLE))
            responses = list(Response.objects.all())
            if action < 0.35 or not answerable:
                team = rng.choice(teams)
                with django_capture_on_commit_callbacks(execute=True):  # the eager send
                    ticket_close(
                        source="jira",
                        external_id=f"SD-{step}",
                        team=team,
                        requester_email=f"r{rng.randrange(30)}@example.org",
                        agent_email=rng.choice(agents[team]),
                        closed_at=when,
                    )
            elif action < 0.85 or not responses:
                invitation = rng.choice(answerable)
                response_submit(invitation=invitation, score=rng.randrange(11), comment="")
            else:
                response_delete(response=rng.choice(responses))
    assert Response.objects.exists() and Invitation.objects.filter(sent_at__isnull=False).exists()
    assert stored() == recount()
    rebuild()
    assert stored() == recount()


def test_a_changed_answer_moves_its_count(team, frozen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_close(
            source="jira",
            external_id="SD-1",
            team=team,
            requester_email="ann@example.org",
            agent_email="eve@example.org",
            closed_at=NOW,
        ).ticket
    response_submit(invitation=ticket.invitation, score=0)
    response_submit(invitation=ticket.invitation, score=10)
    row = TeamDailyScore.objects.get(team=team)
    assert (row.s0, row.s10, row.sent, row.answered) == (0, 1, 1, 1)
    assert DailyScore.objects.get(team=team).histogram == (0,) * 10 + (1,)


def test_deleting_an_answer_removes_its_counts_and_reopens_the_invitation(
    team, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_close(
            source="jira",
            external_id="SD-1",
            team=team,
            requester_email="ann@example.org",
            closed_at=NOW,
        ).ticket
    response = response_submit(invitation=ticket.invitation, score=3)
    response_delete(response=response)
    row = TeamDailyScore.objects.get(team=team)
    assert (row.s3, row.sent, row.answered) == (0, 1, 0)
    ticket.invitation.refresh_from_db()
    assert ticket.invitation.status == Invitation.Status.SENT
    assert not Response.objects.exists()


def test_rebuild_rollups_command_restores_lost_counts(
    team, frozen, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = ticket_close(
            source="jira",
            external_id="SD-1",
            team=team,
            requester_email="ann@example.org",
            agent_email="eve@example.org",
            closed_at=NOW,
        ).ticket
    response_submit(invitation=ticket.invitation, score=9)
    before = stored()
    TeamDailyScore.objects.all().delete()
    DailyScore.objects.update(s9=5)
    out = io.StringIO()
    call_command("rebuild_rollups", stdout=out)
    assert stored() == before == recount()
    assert "Rebuilt 1 team days and 1 agent days." in out.getvalue()


def test_an_answer_given_while_the_email_is_still_sending_counts_as_answered(team, frozen):
    from delivery import dispatch

    invitation = InvitationFactory(
        ticket__team=team, status=Invitation.Status.SENDING, claimed_by="claim-1"
    )
    response_submit(invitation=invitation, score=9)  # the link works while "sending"
    dispatch._sent(invitation, "claim-1", NOW)
    assert stored() == recount()
    row = TeamDailyScore.objects.get(team=team)
    assert (row.sent, row.answered, row.s9) == (1, 1, 1)
