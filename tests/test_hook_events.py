"""Events after "closed": reopened, reassigned, merged, deleted — each idempotent."""

import pytest

from integrations.models import Delivery
from surveys.models import Invitation, Ticket
from tests.factories import TeamFactory
from tests.hooks import connector_for, payload, post_hook

pytestmark = pytest.mark.django_db


@pytest.fixture
def zendesk(team):
    return connector_for("zendesk", team)


def zendesk_call(status="Solved", **ticket):
    data = payload("zendesk")
    data["ticket"].update(status=status, **ticket)
    return data


def invitation():
    return Invitation.objects.select_related("team", "agent").get()


def test_reopened_before_sending_cancels_the_survey(client, zendesk, frozen):
    post_hook(client, zendesk, zendesk_call())
    response = post_hook(client, zendesk, zendesk_call("Open"))
    assert (response.status_code, response.json()["result"]) == (200, "changed")
    assert (invitation().status, invitation().reason) == ("suppressed", "ticket reopened")


def test_reopened_after_sending_keeps_the_survey(client, zendesk, frozen):
    post_hook(client, zendesk, zendesk_call())
    Invitation.objects.update(status=Invitation.Status.SENT)
    response = post_hook(client, zendesk, zendesk_call("Open"))
    assert response.json()["result"] == "unchanged"
    assert invitation().status == "sent"
    assert "nothing changed" in Delivery.objects.latest("id").reason


def test_closed_again_after_a_reopen_plans_the_survey_again(client, zendesk, frozen):
    post_hook(client, zendesk, zendesk_call())
    post_hook(client, zendesk, zendesk_call("Open"))
    again = post_hook(client, zendesk, zendesk_call("Closed"))
    assert again.status_code == 200
    assert invitation().status == "planned"
    assert Ticket.objects.count() == 1


def test_reassigned_before_sending_moves_the_snapshot(client, zendesk, team, frozen):
    network = TeamFactory(slug="network", name="Network")
    zendesk.team_map["Network team"] = "network"
    zendesk.save()
    post_hook(client, zendesk, zendesk_call())
    moved = zendesk_call(
        "Solved", group="Network team", assignee={"email": "piet@example.org", "name": "Piet"}
    )
    moved["event"] = "reassigned"
    assert post_hook(client, zendesk, moved).json()["result"] == "changed"
    assert (invitation().team, invitation().agent.email) == (network, "piet@example.org")
    assert Ticket.objects.get().team == network


def test_reassigned_after_sending_keeps_the_snapshot(client, zendesk, team, frozen):
    TeamFactory(slug="network", name="Network")
    zendesk.team_map["Network team"] = "network"
    zendesk.save()
    post_hook(client, zendesk, zendesk_call())
    Invitation.objects.update(status=Invitation.Status.SENT)
    moved = zendesk_call("Solved", group="Network team")
    moved["event"] = "reassigned"
    assert post_hook(client, zendesk, moved).json()["result"] == "unchanged"
    assert invitation().team == team


@pytest.mark.parametrize("event", ["merged", "deleted"])
def test_a_merged_or_deleted_ticket_cancels_its_planned_survey(client, zendesk, frozen, event):
    post_hook(client, zendesk, zendesk_call())
    call = zendesk_call()
    call["event"] = event
    assert post_hook(client, zendesk, call).json()["result"] == "changed"
    assert (invitation().status, invitation().reason) == ("suppressed", f"ticket {event}")


@pytest.mark.parametrize("status", ["Open", "Deleted"])
def test_every_event_is_idempotent(client, zendesk, frozen, status):
    post_hook(client, zendesk, zendesk_call())
    first = post_hook(client, zendesk, zendesk_call(status))
    again = post_hook(client, zendesk, zendesk_call(status))
    assert first.json()["result"] == "changed"
    assert again.json()["result"] == "duplicate"
    assert invitation().status == "suppressed"


def test_an_event_for_an_unknown_ticket_changes_nothing(client, zendesk, frozen):
    response = post_hook(client, zendesk, zendesk_call("Open"))
    assert (response.status_code, response.json()["result"]) == (200, "unchanged")
    assert not Ticket.objects.exists()


def test_jira_deletion_and_reassignment_come_from_its_own_fields(client, team, frozen):
    jira = connector_for("jira", team)
    post_hook(client, jira, payload("jira"))
    deleted = payload("jira") | {"webhookEvent": "jira:issue_deleted"}
    assert post_hook(client, jira, deleted).json()["result"] == "changed"
    assert invitation().reason == "ticket deleted"
