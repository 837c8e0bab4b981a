"""Periodic surveys' schedule, repeat, reminder, opt-out and end of period (campaigns/services.py,
campaigns/reminding.py, campaigns/tasks.py), with the clock frozen: what the settings area's
saved values make happen."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaigns import demo
from campaigns.models import Campaign, CampaignInvitation, CampaignReminder, add_months
from campaigns.services import (
    campaign_answer_submit,
    campaign_invitation_for_token,
    campaign_launch,
    campaigns_launch_due,
)
from campaigns.tasks import campaigns_tick
from delivery.tasks import tick
from surveys.services import requester_opt_out

from .conftest import NOW
from .factories import RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db


def people(count: int) -> list:
    requesters = [RequesterFactory() for _ in range(count)]
    for requester in requesters:
        TicketFactory(requester=requester, closed_at=NOW - timedelta(days=3))
    return requesters


def scheduled(**fields) -> Campaign:
    values = {"name": "Quarterly pulse", "sample_size": 1000, "launch_at": NOW + timedelta(days=1)}
    return Campaign.objects.create(**{**values, **fields})


def links(message) -> list[str]:
    return [line for line in message.body.split() if "/c/" in line]


def token_of(message) -> str:
    return links(message)[0].split("/c/")[1].split("/")[0].split("?")[0]


def test_a_scheduled_survey_launches_once_at_its_date(frozen):
    people(3)
    campaign = scheduled()
    campaigns_tick()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT  # not before its date
    assert mail.outbox == []
    frozen.move_to(campaign.launch_at)
    campaigns_tick()
    campaigns_tick()  # a second beat, or a second worker, at the same moment
    frozen.move_to(campaign.launch_at + timedelta(minutes=1))
    campaigns_tick()
    tick()
    campaign.refresh_from_db()
    assert (campaign.status, campaign.launched_at) == (Campaign.Status.RUNNING, NOW + timedelta(1))
    assert CampaignInvitation.objects.filter(campaign=campaign).count() == 3
    assert len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted({m.to[0] for m in mail.outbox})


def test_two_workers_holding_the_same_draft_launch_it_once(frozen):
    """The double launch the claim prevents: both loaded the draft before either launched."""
    people(2)
    campaign = scheduled(launch_at=NOW, repeat=Campaign.Repeat.QUARTERLY)
    first, second = Campaign.objects.get(pk=campaign.pk), Campaign.objects.get(pk=campaign.pk)
    assert campaign_launch(campaign=first, now=NOW) == 2
    assert campaign_launch(campaign=second, now=NOW) == 0
    assert campaigns_launch_due(now=NOW) == 0
    assert CampaignInvitation.objects.count() == 2
    # One next round, not one per launcher.
    assert Campaign.objects.filter(status=Campaign.Status.DRAFT).count() == 1


def test_a_repeating_survey_schedules_its_next_round_with_its_settings(frozen):
    people(1)
    campaign = scheduled(
        launch_at=NOW,
        repeat=Campaign.Repeat.HALF_YEARLY,
        reminder_after_days=5,
        question_en="How is IT doing?",
        anonymous=True,
    )
    campaigns_tick()
    following = Campaign.objects.exclude(pk=campaign.pk).get()
    assert following.status == Campaign.Status.DRAFT
    assert following.launch_at == add_months(NOW, 6)
    assert (following.repeat, following.reminder_after_days) == (Campaign.Repeat.HALF_YEARLY, 5)
    assert (following.question_en, following.anonymous) == ("How is IT doing?", True)
    assert following.invitations.count() == 0
    # A survey that does not repeat schedules nothing after it.
    once = scheduled(launch_at=NOW, repeat=Campaign.Repeat.NONE)
    campaign_launch(campaign=once, now=NOW)
    assert Campaign.objects.count() == 3


def test_a_round_launched_late_schedules_the_next_one_in_the_future(frozen):
    campaign = scheduled(launch_at=NOW - timedelta(days=200), repeat=Campaign.Repeat.QUARTERLY)
    campaigns_tick()
    following = Campaign.objects.exclude(pk=campaign.pk).get()
    assert following.launch_at == add_months(NOW - timedelta(days=200), 9)
    assert following.launch_at > NOW


def test_months_are_added_to_the_last_day_of_a_short_month():
    assert add_months(NOW.replace(month=1, day=31), 1).date().isoformat() == "2026-02-28"
    assert add_months(NOW, 3).date().isoformat() == "2027-02-25"


def test_the_reminder_goes_once_and_only_to_those_who_did_not_answer(frozen):
    answering, silent = people(2)
    scheduled(launch_at=NOW, reminder_after_days=7, link_valid_days=21)
    campaigns_tick()
    tick()
    assert len(mail.outbox) == 2
    first = {m.to[0]: m for m in mail.outbox}
    invitation = campaign_invitation_for_token(token_of(first[answering.email]))
    assert invitation is not None
    campaign_answer_submit(invitation=invitation, score=9, answers=[], now=NOW + timedelta(days=2))
    mail.outbox.clear()
    frozen.move_to(NOW + timedelta(days=7) - timedelta(minutes=1))
    tick()
    assert mail.outbox == []  # not before its day
    frozen.move_to(NOW + timedelta(days=7))
    tick()
    tick()
    frozen.move_to(NOW + timedelta(days=8))
    tick()
    assert [m.to[0] for m in mail.outbox] == [silent.email]
    reminder = mail.outbox[0]
    assert reminder.subject.startswith("Reminder: ")
    statuses = dict(CampaignReminder.objects.values_list("invitation__requester", "status"))
    assert statuses == {answering.pk: "suppressed", silent.pk: "sent"}
    # The reminder's own link answers; the first e-mail's link keeps working too.
    assert campaign_invitation_for_token(token_of(reminder)).requester == silent
    assert campaign_invitation_for_token(token_of(first[silent.email])).requester == silent


def test_no_reminder_without_a_number_of_days(frozen):
    people(1)
    scheduled(launch_at=NOW)
    campaigns_tick()
    assert CampaignReminder.objects.count() == 0


def test_periodic_survey_emails_carry_the_one_click_opt_out_and_it_is_honoured(frozen):
    leaving, staying = people(2)
    campaign = scheduled(launch_at=NOW, reminder_after_days=7, repeat=Campaign.Repeat.QUARTERLY)
    campaigns_tick()
    tick()
    message = next(m for m in mail.outbox if m.to[0] == leaving.email)
    token = token_of(message)
    unsubscribe = "http://testserver" + reverse("campaign-unsubscribe", args=[token])
    assert message.extra_headers["List-Unsubscribe"].endswith(
        reverse("campaign-unsubscribe", args=[token]) + ">"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert reverse("campaign-unsubscribe", args=[token]) in message.body
    # A mail client's one-click POST: no cookies, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    leaving.refresh_from_db()
    assert leaving.is_opted_out
    # No reminder for them, and nothing from the next round.
    mail.outbox.clear()
    frozen.move_to(NOW + timedelta(days=7))
    tick()
    assert [m.to[0] for m in mail.outbox] == [staying.email]
    mail.outbox.clear()
    TicketFactory(requester=leaving, closed_at=timezone.now())
    TicketFactory(requester=staying, closed_at=timezone.now())
    following = Campaign.objects.exclude(pk=campaign.pk).get()
    frozen.move_to(following.launch_at)
    campaigns_tick()
    tick()
    assert [m.to[0] for m in mail.outbox] == [staying.email]


def test_an_opt_out_after_the_launch_stops_the_waiting_invitation(frozen):
    (person,) = people(1)
    scheduled(launch_at=NOW + timedelta(days=1))
    requester_opt_out(requester=person)
    frozen.move_to(NOW + timedelta(days=1))
    campaigns_tick()
    tick()
    assert mail.outbox == []


def test_the_unsubscribe_page_asks_first_and_unknown_links_are_404(frozen):
    people(1)
    scheduled(launch_at=NOW)
    campaigns_tick()
    tick()
    token = token_of(mail.outbox[0])
    client = Client()
    response = client.get(reverse("campaign-unsubscribe", args=[token]))
    assert response.status_code == 200
    assert b"Stop sending me surveys" in response.content
    assert not CampaignInvitation.objects.get().requester.is_opted_out
    assert client.get(reverse("campaign-unsubscribe", args=["nope"])).status_code == 404


def test_a_survey_is_finished_when_its_links_have_expired(frozen):
    campaign = scheduled(launch_at=NOW, link_valid_days=14)
    campaigns_tick()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING
    frozen.move_to(NOW + timedelta(days=14) - timedelta(minutes=1))
    campaigns_tick()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING
    frozen.move_to(NOW + timedelta(days=14))
    campaigns_tick()
    campaign.refresh_from_db()
    assert (campaign.status, campaign.finished_at) == (
        Campaign.Status.FINISHED,
        NOW + timedelta(days=14),
    )


def test_the_demo_shows_its_ended_survey_as_finished(frozen):

    demo.load_campaigns(now=NOW)
    finished, running = Campaign.objects.order_by("launched_at")
    assert (finished.status, running.status) == ("finished", "running")
