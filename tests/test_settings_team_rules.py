"""A team's sending rules, question, follow-up threshold and anonymity in the settings area.

Saved values take effect: a rule saved in the form plans the next closed ticket; a threshold
saved opens (or not) a follow-up case. Wrong input is refused with a message, Dutch too, and
nothing is written."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from audit.models import AuditEvent
from delivery.models import DeliveryRule
from followups.models import FollowUpCase, TeamRules
from surveys.models import Invitation, Team
from surveys.services import ticket_close

from .answering import answer_and_follow
from .conftest import NOW
from .factories import InvitationFactory, TeamFactory

pytestmark = pytest.mark.django_db

RULES = {
    "send_delay_minutes": "120",
    "office_hours_start": "",
    "office_hours_end": "",
    "office_days": ["1", "2", "3", "4", "5"],
    "sample_percent": "100",
    "throttle_days": "0",
    "reminder_after_days": "3",
    "link_valid_days": "14",
    "excluded_addresses": "ceo@example.org\n@partner.example",
    "exclude_service_accounts": "on",
}


@pytest.fixture
def network(db):
    return TeamFactory(name="Network", slug="network")


def close(team, external_id="SD-1"):
    ticket = ticket_close(
        source="jira",
        external_id=external_id,
        team=team,
        requester_email="ann@example.org",
        closed_at=timezone.now(),
    ).ticket
    return Invitation.objects.get(ticket=ticket)


def test_a_rule_saved_in_the_form_plans_the_next_ticket(client, bob, team, frozen):
    client.force_login(bob)
    page = client.get("/settings/teams/workplace/delivery/").content.decode()
    assert "follows the organisation's default rule" in page
    response = client.post("/settings/teams/workplace/delivery/", RULES)
    assert response.status_code == 302
    rule = DeliveryRule.objects.get(team=team)
    assert rule.send_delay_minutes == 120 and rule.reminder_after_days == 3
    assert rule.exclusions == {"ceo@example.org", "@partner.example"}
    invitation = close(team)
    assert invitation.status == Invitation.Status.PLANNED
    assert invitation.send_after == NOW + timedelta(minutes=120)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SETTINGS_CHANGED)
    assert event.actor == bob and event.details["section"] == "delivery"
    assert "ceo@example.org" not in str(event.details)  # field names, not personal values


def test_a_new_team_rule_starts_from_the_organisation_default(client, carol, team):
    DeliveryRule.objects.create(team=None, send_delay_minutes=45, sample_percent=50)
    client.force_login(carol)
    form = client.get("/settings/teams/workplace/delivery/").context["form"]
    assert form.initial["send_delay_minutes"] == 45 and form.initial["sample_percent"] == 50


def test_office_hours_and_reminder_are_checked(client, carol, team):
    client.force_login(carol)
    wrong = RULES | {
        "office_hours_start": "17:00",
        "office_hours_end": "09:00",
        "reminder_after_days": "14",
        "sample_percent": "150",
        "excluded_addresses": "not an address",
    }
    response = client.post("/settings/teams/workplace/delivery/", wrong)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Office hours must end after they start." in html
    assert "The reminder must go out before the link expires (after 14 days)." in html
    assert "The sample is a share of tickets: at most 100%." in html
    assert "Not an address or a domain" in html
    assert not DeliveryRule.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGED).exists()


def test_rule_errors_in_dutch(client, carol, team):
    client.force_login(carol)
    wrong = RULES | {"office_hours_start": "09:00", "reminder_after_days": "20"}
    html = client.post(
        "/settings/teams/workplace/delivery/", wrong, HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Geef beide grenzen van de kantooruren op, of geen van beide." in html
    assert "De herinnering moet weg voordat de link verloopt (na 14 dagen)." in html


def test_a_lead_cannot_change_another_teams_rules(client, bob, team, network):
    client.force_login(bob)
    response = client.post("/settings/teams/network/delivery/", RULES)
    assert response.status_code == 404
    assert not DeliveryRule.objects.filter(team=network).exists()
    for part in ("question", "followup", "anonymity"):
        assert client.get(f"/settings/teams/network/{part}/").status_code == 404


def test_an_it_manager_changes_any_team_but_not_its_anonymity(client, alice, network):
    client.force_login(alice)
    response = client.post("/settings/teams/network/followup/", {"detractor_threshold": "4"})
    assert response.status_code == 302
    assert TeamRules.for_team(network.pk).detractor_threshold == 4
    assert client.get("/settings/teams/network/anonymity/").status_code == 404
    response = client.post("/settings/teams/network/anonymity/", {"anonymous": "on"})
    assert response.status_code == 404
    network.refresh_from_db()
    assert not network.anonymous


def test_question_wording_in_both_languages(client, bob, team):
    client.force_login(bob)
    page = client.get("/settings/teams/workplace/question/").content.decode()
    assert "Changing the question type starts a new series" in page
    data = {
        "question_type": "nps",
        "question_en": "Would you recommend us?",
        "question_nl": "Zou u ons aanbevelen?",
        "follow_up_en": "Why?",
        "follow_up_nl": "Waarom?",
        "show_agent": "on",
    }
    assert client.post("/settings/teams/workplace/question/", data).status_code == 302
    team.refresh_from_db()
    assert team.question_type == "nps"
    with translation.override("nl"):
        assert team.question() == "Zou u ons aanbevelen?" and team.follow_up() == "Waarom?"
    with translation.override("en"):
        assert team.question() == "Would you recommend us?"


def test_question_type_must_be_one_offered(client, bob, team):
    client.force_login(bob)
    response = client.post(
        "/settings/teams/workplace/question/",
        {"question_type": "stars"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    assert "Selecteer een geldige keuze" in response.content.decode()
    team.refresh_from_db()
    assert team.question_type != "stars"


def test_question_page_in_dutch_says_a_new_series_starts(client, bob, team):
    client.force_login(bob)
    html = client.get(
        "/settings/teams/workplace/question/", HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Een andere soort vraag begint een nieuwe reeks" in html


def answer(team, score, frozen_now):
    invitation = InvitationFactory(
        ticket__team=team, status=Invitation.Status.SENT, sent_at=frozen_now
    )
    return answer_and_follow(invitation=invitation, score=score, now=frozen_now)


def test_a_threshold_saved_decides_the_next_case(client, bob, team, frozen):
    client.force_login(bob)
    response = client.post("/settings/teams/workplace/followup/", {"detractor_threshold": "3"})
    assert response.status_code == 302
    answer(team, 5, NOW)
    assert not FollowUpCase.objects.exists()  # 5 was a case with the default 6
    answer(team, 3, NOW)
    assert FollowUpCase.objects.count() == 1


def test_threshold_out_of_scale_is_refused(client, bob, team):
    client.force_login(bob)
    response = client.post(
        "/settings/teams/workplace/followup/",
        {"detractor_threshold": "11"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    assert "De drempel is een score van 0 tot 10." in response.content.decode()
    assert not TeamRules.objects.exists()


def test_administrator_switches_anonymity_with_the_warning(client, carol, team):
    client.force_login(carol)
    page = client.get("/settings/teams/workplace/anonymity/").content.decode()
    assert "Switching affects only answers given from then on." in page
    assert (
        client.post("/settings/teams/workplace/anonymity/", {"anonymous": "on"}).status_code == 302
    )
    assert Team.objects.get(pk=team.pk).anonymous
    event = AuditEvent.objects.get(action=AuditEvent.Action.SETTINGS_CHANGED)
    assert event.details == {"section": "anonymity", "changed": ["anonymous"]}


def test_saving_without_a_change_writes_no_audit(client, carol, team):
    client.force_login(carol)
    client.post("/settings/teams/workplace/anonymity/", {})
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGED).exists()
