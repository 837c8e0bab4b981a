"""Issue 13, point 5: whatever deletes an answer, a ticket or an agent, the dashboard's counts
follow in the same transaction; `check_rollups` proves it and repairs a drift."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from scoring.models import DailyScore, TeamDailyScore
from scoring.selectors import team_tally
from surveys.models import Invitation, Response, Ticket

from .conftest import NOW
from .factories import ResponseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("rollups_checked")]


@pytest.fixture
def answered(team, frozen):
    return [
        ResponseFactory(
            invitation__ticket__team=team,
            invitation__sent_at=NOW - timedelta(hours=1),
            score=score,
            created_at=NOW,
        )
        for score in (0, 9, 10)
    ]


def _counts(team):
    tally = team_tally(team)
    return sum(tally.histogram), tally.sent, tally.answered


def test_the_admin_deleting_answers_uncounts_them(client, team, answered, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    client.post(
        "/admin/surveys/response/",
        {"action": "delete_selected", "_selected_action": [answered[0].pk], "post": "yes"},
    )
    assert Response.objects.count() == 2
    assert _counts(team) == (2, 3, 2)


def test_the_admin_deleting_a_ticket_uncounts_its_survey_and_answer(
    client, team, answered, django_user_model
):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    ticket = answered[1].invitation.ticket
    response = client.post(f"/admin/surveys/ticket/{ticket.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Invitation.objects.filter(pk=answered[1].invitation_id).exists()
    assert _counts(team) == (2, 2, 2)


def test_a_bulk_delete_in_code_uncounts_too(team, answered):
    Ticket.objects.filter(pk__in=[r.invitation.ticket_id for r in answered[:2]]).delete()
    assert _counts(team) == (1, 1, 1)


def test_deleting_an_agent_drops_only_their_own_rows(team, answered):
    agent = answered[0].agent
    assert agent is not None and DailyScore.objects.filter(agent=agent).exists()
    agent.delete()
    assert not DailyScore.objects.filter(agent_id=agent.pk).exists()
    assert _counts(team) == (3, 3, 3)


def test_check_rollups_lists_a_drift_and_fix_repairs_it(team, answered):
    out = StringIO()
    call_command("check_rollups", stdout=out)
    assert "match" in out.getvalue()
    TeamDailyScore.objects.filter(team=team).update(s9=F("s9") + 2, sent=F("sent") - 1)
    with pytest.raises(CommandError, match="2 rollup counts differ"):
        call_command("check_rollups", stdout=(out := StringIO()))
    assert "s9 is 3, the rows count 1" in out.getvalue()
    assert "sent is 2, the rows count 3" in out.getvalue()
    call_command("check_rollups", "--fix", stdout=StringIO())
    call_command("check_rollups", stdout=StringIO())


def test_the_admin_does_not_offer_to_change_what_a_survey_is_counted_by(
    client, answered, django_user_model
):
    """An invitation counts as sent and answered for its team on the day it was sent: changed
    in the admin form, its status or team would leave the counts behind."""
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    page = client.get(f"/admin/surveys/invitation/{answered[0].invitation_id}/change/")
    assert page.status_code == 200
    offered = page.context["adminform"].form.fields
    assert not {"team", "agent", "status", "sent_at"} & set(offered)
