from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from surveys.models import Invitation, Requester, Ticket
from surveys.services import ticket_close

pytestmark = pytest.mark.django_db


def close(team, **overrides):
    fields = {
        "source": "jira",
        "external_id": "SD-1",
        "team": team,
        "requester_email": "Ann@Example.org",
        "requester_name": "Ann",
        "requester_language": "nl",
        "agent_email": "sanne@example.org",
        "agent_name": "Sanne",
        "subject": "Printer on floor 3",
        "closed_at": timezone.now(),
    }
    return ticket_close(**(fields | overrides))


def test_it_creates_ticket_and_planned_invitation_with_snapshot(team, frozen):
    result = close(team)
    assert result.created
    inv = result.ticket.invitation
    assert inv.team == team and inv.agent.email == "sanne@example.org"
    assert inv.requester.email == "ann@example.org"  # normalised
    assert inv.send_after == timezone.now()


def test_it_sends_after_commit(team, frozen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        close(team)
    assert len(mail.outbox) == 0  # nothing leaves before the transaction commits
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert Invitation.objects.get().status == Invitation.Status.SENT


def test_it_is_idempotent_per_source_and_external_id(team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = close(team)
        second = close(team, subject="changed")
    assert first.created and not second.created
    assert second.ticket == first.ticket
    assert Ticket.objects.count() == 1 and Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_same_external_id_from_another_source_is_another_ticket(team):
    close(team)
    assert close(team, source="zendesk").created
    assert Ticket.objects.count() == 2


def test_opted_out_requester_is_suppressed_with_reason(team, django_capture_on_commit_callbacks):
    Requester.objects.create(email="ann@example.org", opted_out_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        result = close(team)
    inv = result.ticket.invitation
    assert inv.status == Invitation.Status.SUPPRESSED and inv.reason == "opted out"
    assert mail.outbox == []


def test_a_later_reassignment_does_not_move_the_snapshot(team):
    from tests.factories import AgentFactory, TeamFactory

    ticket = close(team).ticket
    other = TeamFactory(slug="network")
    ticket.team, ticket.agent = other, AgentFactory(team=other)
    ticket.save()
    inv = Invitation.objects.get()
    assert inv.team == team and inv.agent.email == "sanne@example.org"


def test_requester_details_are_updated_not_duplicated(team):
    close(team)
    close(team, external_id="SD-2", requester_language="en", requester_name="Ann B.")
    requester = Requester.objects.get()
    assert (requester.language, requester.name) == ("en", "Ann B.")


def test_closed_at_is_kept(team):
    when = timezone.now() - timedelta(hours=3)
    assert close(team, closed_at=when).ticket.closed_at == when


def test_closed_again_after_a_reopen_gets_its_survey_back(team, frozen):
    # The single API must do what a webhook or a batch does for the same ticket.
    from surveys.closing import ticket_reopen

    close(team)
    assert ticket_reopen(source="jira", external_id="SD-1")
    result = close(team)
    assert not result.created
    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.reason) == ("planned", "")
