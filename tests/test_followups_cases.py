"""Follow-up cases: opened by a low score through the real response service, moved by people."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from followups.models import CaseNote, FollowUpCase, TeamRules
from followups.selectors import team_summary
from followups.services import case_set_status, working_days_after
from surveys.models import Invitation

from .answering import answer_and_follow
from .conftest import NOW
from .factories import AgentFactory, InvitationFactory, TeamFactory

pytestmark = pytest.mark.django_db


def sent_invitation(team, **kwargs):
    return InvitationFactory(
        ticket__team=team,
        status=Invitation.Status.SENT,
        sent_at=NOW - timedelta(hours=1),
        expires_at=NOW + timedelta(days=14),
        **kwargs,
    )


def answer(team, score, comment=""):
    return answer_and_follow(invitation=sent_invitation(team), score=score, comment=comment)


class TestOpening:
    def test_a_score_at_the_threshold_opens_a_case(self, team, frozen):
        response = answer(team, 6, "Nobody called back.")
        case = FollowUpCase.objects.get(response=response)
        assert (case.status, case.team, case.opening_score) == ("open", team, 6)
        assert case.opened_at == NOW

    def test_a_passive_opens_nothing(self, team, frozen):
        answer(team, 7)
        assert not FollowUpCase.objects.exists()

    def test_the_threshold_is_per_team(self, team, frozen):
        TeamRules.objects.create(team=team, detractor_threshold=4)
        answer(team, 5)
        assert not FollowUpCase.objects.exists()
        answer(TeamFactory(slug="network"), 5)
        assert FollowUpCase.objects.count() == 1

    def test_it_is_due_in_two_working_days(self, team, frozen):
        case = FollowUpCase.objects.get(response=answer(team, 2))
        assert NOW.weekday() == 2  # Wednesday
        assert case.due_at == NOW + timedelta(days=2)

    def test_weekends_are_skipped(self):
        friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
        assert working_days_after(friday, 2) == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
        saturday = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
        assert working_days_after(saturday, 2).date().isoformat() == "2026-12-01"

    def test_the_working_days_are_a_setting(self, team, frozen, settings):
        settings.ITPULSE_FOLLOWUP_WORKING_DAYS = 5
        case = FollowUpCase.objects.get(response=answer(team, 2))
        assert case.due_at == NOW + timedelta(days=7)


class TestChangedAnswer:
    def test_a_detractor_turning_promoter_closes_nothing_but_shows(self, client, bob, team, frozen):
        invitation = sent_invitation(team)
        answer_and_follow(invitation=invitation, score=3)
        answer_and_follow(invitation=invitation, score=9, comment="They called me, all good.")
        case = FollowUpCase.objects.get()
        assert (case.status, case.opening_score, case.latest_score) == ("open", 3, 9)
        event = case.notes.get()
        assert (event.kind, event.old_value, event.new_value) == ("score", "3", "9")
        client.force_login(bob)
        page = client.get(f"/followups/{case.pk}/")
        assert b"data-score-changed" in page.content
        assert b"changed the answer from 3 to 9" in page.content

    def test_a_promoter_turning_detractor_opens_a_case(self, team, frozen):
        invitation = sent_invitation(team)
        answer_and_follow(invitation=invitation, score=10)
        assert not FollowUpCase.objects.exists()
        answer_and_follow(invitation=invitation, score=1)
        assert FollowUpCase.objects.get().opening_score == 1

    def test_the_same_score_again_adds_no_event(self, team, frozen):
        invitation = sent_invitation(team)
        answer_and_follow(invitation=invitation, score=3)
        answer_and_follow(invitation=invitation, score=3, comment="more words")
        assert not CaseNote.objects.exists()


@pytest.fixture
def case(team, frozen):
    return FollowUpCase.objects.get(response=answer(team, 4, "Slow."))


class TestCasePages:
    def test_the_lead_moves_a_case_to_contacted(self, client, bob, case):
        client.force_login(bob)
        reply = client.post(f"/followups/{case.pk}/status/", {"status": "contacted"})
        assert reply.status_code == 302
        case.refresh_from_db()
        assert (case.status, case.followed_up_at) == ("contacted", NOW)
        note = case.notes.get()
        assert (note.kind, note.author, note.old_value, note.new_value) == (
            "status",
            bob,
            "open",
            "contacted",
        )

    def test_a_note_is_kept_with_its_author(self, client, bob, case):
        client.force_login(bob)
        client.post(f"/followups/{case.pk}/notes/", {"text": "Called, printer swapped."})
        note = case.notes.get()
        assert (note.text, note.author) == ("Called, printer swapped.", bob)
        assert b"Called, printer swapped." in client.get(f"/followups/{case.pk}/").content

    def test_an_empty_note_is_refused_and_nothing_is_written(self, client, bob, case):
        client.force_login(bob)
        reply = client.post(f"/followups/{case.pk}/notes/", {"text": "  "})
        assert reply.status_code == 400
        assert not case.notes.exists()

    def test_an_unknown_status_is_refused(self, client, bob, case):
        client.force_login(bob)
        reply = client.post(f"/followups/{case.pk}/status/", {"status": "closed"})
        assert reply.status_code == 400
        case.refresh_from_db()
        assert case.status == "open"

    def test_the_owner_must_belong_to_the_team(self, client, bob, dave, charlie, case):
        client.force_login(bob)
        assert client.post(f"/followups/{case.pk}/owner/", {"owner": charlie.pk}).status_code == 400
        assert client.post(f"/followups/{case.pk}/owner/", {"owner": dave.pk}).status_code == 302
        case.refresh_from_db()
        assert case.owner == dave

    def test_an_owner_sees_their_case(self, client, dave, case):
        case.owner = dave
        case.save()
        client.force_login(dave)
        assert client.get(f"/followups/{case.pk}/").status_code == 200

    def test_forms_need_post_and_csrf(self, bob, case):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        strict.force_login(bob)
        assert strict.get(f"/followups/{case.pk}/status/").status_code == 405
        assert (
            strict.post(f"/followups/{case.pk}/status/", {"status": "resolved"}).status_code == 403
        )
        case.refresh_from_db()
        assert case.status == "open"

    def test_the_outsider_gets_the_no_role_page_everywhere(self, client, charlie, case):
        client.force_login(charlie)
        for url in ("", "status/", "notes/", "owner/"):
            method = client.get if not url else client.post
            assert method(f"/followups/{case.pk}/{url}", {"status": "resolved"}).status_code == 403
        assert client.get("/followups/teams/workplace/").status_code == 403
        assert b"Slow." not in client.get("/followups/?show=all").content
        case.refresh_from_db()
        assert case.status == "open"

    def test_a_lead_of_another_team_gets_404(self, client, django_user_model, case):
        other = django_user_model.objects.create_user("olga")
        TeamFactory(slug="network").leads.add(other)
        client.force_login(other)
        assert client.get(f"/followups/{case.pk}/").status_code == 404
        assert client.get("/followups/teams/workplace/").status_code == 404

    def test_an_agent_who_does_not_own_it_gets_404(self, client, dave, case):
        client.force_login(dave)
        assert client.get(f"/followups/{case.pk}/").status_code == 404

    def test_the_it_manager_sees_every_case(self, client, alice, case):
        client.force_login(alice)
        assert client.get(f"/followups/{case.pk}/").status_code == 200
        assert f'data-case="{case.pk}"'.encode() in client.get("/followups/").content


class TestTeamSection:
    def test_open_overdue_and_share_in_time(self, client, bob, team):
        with time_machine.travel(NOW - timedelta(days=10), tick=False):
            late = FollowUpCase.objects.get(response=answer(team, 1))
            in_time = FollowUpCase.objects.get(response=answer(team, 2))
            case_set_status(case=in_time, status="contacted", by=bob)
        with time_machine.travel(NOW - timedelta(days=1), tick=False):
            FollowUpCase.objects.get(response=answer(team, 3))  # open, not yet due
        with time_machine.travel(NOW, tick=False):
            summary = team_summary(team, NOW)
            assert (summary.open, summary.overdue) == (2, 1)
            assert (summary.in_time, summary.due) == (1, 2)  # the late one counts as missed
            client.force_login(bob)
            page = client.get("/followups/teams/workplace/")
        assert page.status_code == 200
        assert b'data-followups="overdue"><span class="text-danger fw-bold">1' in page.content
        assert b"50%" in page.content
        assert late.pk

    def test_a_team_with_no_cases(self, client, alice, team, frozen):
        client.force_login(alice)
        page = client.get("/followups/teams/workplace/")
        assert page.status_code == 200
        assert team_summary(team, NOW).share_in_time is None

    def test_an_agent_of_the_team_is_a_possible_owner(self, team):
        agent = AgentFactory(team=team)
        assert agent.team == team
