"""Periodic surveys in the settings area (/settings/surveys/): a draft made in the form launches on
its date through the beat (the clock travelled), or at once; the preview shows what a requester
gets; cancelling removes a draft or stops a running survey. Wrong input is a 400 with messages,
Dutch too, and nothing written; only administrators and IT managers reach the pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from audit.models import AuditEvent
from campaigns.models import Campaign, CampaignInvitation, CampaignReminder
from campaigns.tasks import campaigns_tick
from delivery.tasks import tick

from .conftest import NOW
from .factories import RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db

URL = "/settings/surveys/"


def local(moment) -> str:
    """A moment as the browser's date-and-time field sends it: the organisation's local time."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form(**changes) -> dict:
    values = {
        "name": "Winter pulse",
        "question_en": "How likely are you to recommend IT to a colleague?",
        "question_nl": "Hoe waarschijnlijk is het dat u IT aanbeveelt bij een collega?",
        "open_questions_en": "What should we keep?\nWhat should we change?",
        "open_questions_nl": "Wat moeten we houden?\nWat moeten we veranderen?",
        "sample_size": "100",
        "lookback_days": "90",
        "not_surveyed_days": "30",
        "link_valid_days": "21",
        "launch_at": local(NOW + timedelta(days=2)),
        "repeat": "quarterly",
        "reminder_after_days": "7",
    }
    return {**values, **changes}


def people(count: int, language: str = "en") -> list:
    requesters = [RequesterFactory(language=language) for _ in range(count)]
    for requester in requesters:
        TicketFactory(requester=requester, closed_at=NOW - timedelta(days=3))
    return requesters


def settings_events():
    return AuditEvent.objects.filter(action=AuditEvent.Action.SETTINGS_CHANGED)


def draft(**fields) -> Campaign:
    return Campaign.objects.create(**{"name": "Spring pulse", "sample_size": 50, **fields})


# The happy path: what the form saves is what the beat does.


def test_a_survey_scheduled_in_the_form_launches_on_its_date(client, carol, frozen):
    people(3)
    client.force_login(carol)
    response = client.post(f"{URL}new/", form())
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert response["Location"] == f"{URL}{campaign.pk}/"
    assert campaign.status == Campaign.Status.DRAFT
    assert campaign.launch_at == NOW + timedelta(days=2)
    assert (campaign.repeat, campaign.reminder_after_days) == ("quarterly", 7)
    assert campaign.open_questions_nl.splitlines() == [
        "Wat moeten we houden?",
        "Wat moeten we veranderen?",
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Scheduled: it launches on" in page
    assert "Requesters in its audience today: 3." in page

    frozen.move_to(NOW + timedelta(days=2) - timedelta(minutes=1))
    campaigns_tick()
    tick()
    assert mail.outbox == []  # not before its moment
    frozen.move_to(NOW + timedelta(days=2))
    campaigns_tick()
    tick()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING
    assert len(mail.outbox) == 3
    assert "How likely are you to recommend IT to a colleague?" in mail.outbox[0].body
    # Its reminder and its next round come from the saved settings.
    assert CampaignReminder.objects.filter(invitation__campaign=campaign).count() == 3
    following = Campaign.objects.exclude(pk=campaign.pk).get()
    assert following.is_scheduled and following.repeat == "quarterly"

    event = settings_events().get()
    assert event.actor == carol and event.target == f"periodic survey {campaign.pk}"
    assert event.details["section"] == "periodic-surveys"
    assert {"name", "launch_at", "repeat", "reminder_after_days"} <= set(event.details["changed"])
    # The list shows it running (signed in afresh: two days passed).
    client.force_login(carol)
    listed = client.get(URL).content.decode()
    assert "Winter pulse" in listed and "running" in listed


def test_an_it_manager_edits_a_draft_and_launches_it_now(client, alice, frozen):
    people(2)
    campaign = draft(launch_at=NOW + timedelta(days=30))
    client.force_login(alice)
    data = form(name="Spring pulse", launch_at="", repeat="none", reminder_after_days="")
    response = client.post(f"{URL}{campaign.pk}/", data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.launch_at is None and not campaign.is_scheduled
    changed = settings_events().get().details["changed"]
    assert "launch_at" in changed and "name" not in changed

    response = client.post(f"{URL}{campaign.pk}/launch/")
    assert response.status_code == 302
    tick()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.RUNNING and campaign.launched_at == NOW
    assert len(mail.outbox) == 2
    page = client.get(f"{URL}{campaign.pk}/").content.decode()
    # Launched: no form any more, and the results are one click away.
    assert 'name="question_en"' not in page
    assert f'href="/followups/campaigns/{campaign.pk}/"' in page
    assert client.get(f"/followups/campaigns/{campaign.pk}/").status_code == 200


def test_saving_an_unchanged_draft_writes_no_audit_line(client, carol, frozen):
    client.force_login(carol)
    client.post(f"{URL}new/", form())
    campaign = Campaign.objects.get()
    response = client.post(f"{URL}{campaign.pk}/", form())
    assert response.status_code == 302
    assert settings_events().count() == 1


def test_the_preview_shows_the_email_and_the_page_in_each_language(client, carol, frozen):
    campaign = draft(
        question_en="Would you recommend IT?",
        question_nl="Zou u IT aanbevelen?",
        open_questions_en="What went well?",
        open_questions_nl="Wat ging goed?",
        anonymous=True,
    )
    client.force_login(carol)
    response = client.get(f"{URL}{campaign.pk}/preview/?language=nl")
    assert response.status_code == 200
    context = response.context
    assert "Zou u IT aanbevelen?" in context["text"]
    assert "Zou u IT aanbevelen?" in context["page"] and "Wat ging goed?" in context["page"]
    assert "anoniem" in context["page"]
    assert "Sam Voorbeeld" in context["text"]  # the example requester, in their language
    # Both are shown escaped inside their frames' srcdoc, never as markup of the settings page.
    assert response.content.decode().count('srcdoc="&lt;!DOCTYPE html&gt;') == 2
    # Its mail's inline styles are allowed by hash, nothing else inline.
    assert "'unsafe-hashes'" in response["Content-Security-Policy"]
    english = client.get(f"{URL}{campaign.pk}/preview/?language=en").context
    assert "Would you recommend IT?" in english["text"] and "What went well?" in english["page"]
    assert english["subject"].startswith("A short question from the IT department")
    # A preview asks nobody and stores nothing.
    assert mail.outbox == [] and not CampaignInvitation.objects.exists()


def test_cancelling_a_scheduled_draft_removes_it_and_it_never_launches(client, carol, frozen):
    people(1)
    campaign = draft(launch_at=NOW + timedelta(days=1))
    client.force_login(carol)
    response = client.post(f"{URL}{campaign.pk}/cancel/")
    assert response.status_code == 302 and response["Location"] == URL
    assert not Campaign.objects.exists()
    frozen.move_to(NOW + timedelta(days=1))
    campaigns_tick()
    tick()
    assert mail.outbox == []
    assert settings_events().get().details == {
        "section": "periodic-surveys",
        "changed": ["status"],
        "removed": True,
    }


def test_stopping_a_running_survey_sends_nothing_more(client, carol, frozen, settings):
    people(2)
    campaign = draft(reminder_after_days=5)
    client.force_login(carol)
    assert client.post(f"{URL}{campaign.pk}/launch/").status_code == 302
    tick()
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    response = client.post(f"{URL}{campaign.pk}/cancel/")
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.FINISHED
    frozen.move_to(NOW + timedelta(days=5))
    tick()
    assert mail.outbox == []  # no reminders
    assert set(CampaignReminder.objects.values_list("reason", flat=True)) == {"survey cancelled"}
    # Finished: nothing left to cancel.
    client.force_login(carol)
    response = client.post(f"{URL}{campaign.pk}/cancel/")
    assert response.status_code == 400
    assert "nothing left to cancel" in response.content.decode()


# Wrong input: a 400 with messages, nothing written.


def test_wrong_values_are_refused_with_messages(client, carol, frozen):
    client.force_login(carol)
    wrong = form(
        name="",
        launch_at=local(NOW - timedelta(hours=1)),
        lookback_days="0",
        sample_size="0",
        reminder_after_days="30",
    )
    response = client.post(f"{URL}new/", wrong)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the survey a name." in html
    assert "The launch date has passed: choose a moment from now on, or launch it now." in html
    assert "Count at least one day of closed tickets, or nobody is in the audience." in html
    assert not Campaign.objects.exists()
    assert not settings_events().exists()
    # The model's own checks too: a reminder after the link expired, a repeat without a date.
    response = client.post(f"{URL}new/", form(reminder_after_days="30"))
    assert response.status_code == 400
    assert "before its link stops working (21 days)" in response.content.decode()
    response = client.post(f"{URL}new/", form(launch_at=""))
    assert response.status_code == 400
    assert "A survey that repeats needs a launch date." in response.content.decode()
    assert (
        "Ask at least one person."
        in client.post(f"{URL}new/", form(sample_size="0")).content.decode()
    )
    assert not Campaign.objects.exists()


def test_messages_in_dutch(client, carol, frozen):
    client.force_login(carol)
    wrong = form(launch_at=local(NOW - timedelta(days=1)), lookback_days="0")
    html = client.post(f"{URL}new/", wrong, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "De startdatum is voorbij: kies een moment vanaf nu, of start de enquête nu." in html
    assert (
        "Tel ten minste één dag aan gesloten tickets, anders hoort niemand bij de doelgroep."
        in html
    )


def test_launching_to_an_empty_audience_is_refused(client, carol, frozen):
    campaign = draft()
    client.force_login(carol)
    response = client.post(f"{URL}{campaign.pk}/launch/")
    assert response.status_code == 400
    assert "Nobody is in this survey&#x27;s audience today" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not settings_events().exists()


def test_a_launched_survey_cannot_be_edited(client, carol, frozen):
    people(1)
    campaign = draft(question_en="Original?")
    client.force_login(carol)
    client.post(f"{URL}{campaign.pk}/launch/")
    response = client.post(f"{URL}{campaign.pk}/", form(question_en="Changed?", launch_at=""))
    assert response.status_code == 400
    assert "it can no longer be changed" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.question_en == "Original?"
    # Launching twice asks nobody twice.
    assert client.post(f"{URL}{campaign.pk}/launch/").status_code == 400
    assert CampaignInvitation.objects.count() == 1


# Who reaches it.


@pytest.mark.parametrize("actor", ["bob", "dave", "audrey"])
def test_other_roles_get_a_404_and_change_nothing(client, request, actor, frozen):
    people(1)
    campaign = draft(launch_at=NOW + timedelta(days=1))
    client.force_login(request.getfixturevalue(actor))
    assert client.get(URL).status_code == 404
    assert client.post(f"{URL}new/", form()).status_code == 404
    assert client.post(f"{URL}{campaign.pk}/", form(name="Taken over")).status_code == 404
    assert client.post(f"{URL}{campaign.pk}/launch/").status_code == 404
    assert client.post(f"{URL}{campaign.pk}/cancel/").status_code == 404
    assert client.get(f"{URL}{campaign.pk}/preview/").status_code == 404
    campaign.refresh_from_db()
    assert (campaign.name, campaign.status) == ("Spring pulse", Campaign.Status.DRAFT)
    assert Campaign.objects.count() == 1


def test_the_administrator_sees_no_results_link(client, carol, frozen):
    people(1)
    campaign = draft()
    client.force_login(carol)
    client.post(f"{URL}{campaign.pk}/launch/")
    page = client.get(f"{URL}{campaign.pk}/").content.decode()
    assert f'href="/followups/campaigns/{campaign.pk}/"' not in page
    assert f'href="/followups/campaigns/{campaign.pk}/"' not in client.get(URL).content.decode()
