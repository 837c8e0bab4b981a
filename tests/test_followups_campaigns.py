"""The periodic survey: a fair, reproducible sample of recent requesters not surveyed recently,
its own links (GET never records), optional anonymity, results for IT managers only."""

import re
from datetime import timedelta

import pytest
from django.core import mail

from campaigns.models import Campaign, CampaignAnswer, CampaignInvitation
from campaigns.services import campaign_launch, campaign_sample, eligible_requester_ids
from surveys.models import Invitation

from .conftest import NOW
from .factories import InvitationFactory, RequesterFactory, TicketFactory

pytestmark = pytest.mark.django_db


def requester_with_ticket(days_ago=10, **kwargs):
    requester = RequesterFactory(**kwargs)
    TicketFactory(requester=requester, closed_at=NOW - timedelta(days=days_ago))
    return requester


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        name="Autumn",
        sample_size=3,
        lookback_days=60,
        not_surveyed_days=30,
        open_questions_en="What should IT start doing?\nWhat should IT stop doing?",
        open_questions_nl="Waar moet IT mee beginnen?\nWaar moet IT mee stoppen?",
        seed=42,
    )


def launch(campaign, capture):
    with capture(execute=True):
        return campaign_launch(campaign=campaign)


def link_for(message, score):
    return re.search(rf"http://[^\s]+/c/[\w-]+/\?score={score}", message.body).group(0)


class TestSample:
    def test_only_recent_contact_not_recently_surveyed_not_opted_out(self, campaign, frozen):
        fresh = requester_with_ticket()
        requester_with_ticket(days_ago=61)  # contact too long ago
        requester_with_ticket(opted_out_at=NOW)
        surveyed = requester_with_ticket()
        InvitationFactory(
            ticket=TicketFactory(requester=surveyed, closed_at=NOW - timedelta(days=5)),
            status=Invitation.Status.SENT,
            sent_at=NOW - timedelta(days=5),
        )
        RequesterFactory()  # no ticket at all
        assert eligible_requester_ids(campaign, NOW) == [fresh.id]

    def test_the_sample_is_random_but_reproducible(self, campaign, frozen):
        for _ in range(20):
            requester_with_ticket()
        first = campaign_sample(campaign, NOW)
        assert len(first) == 3 and first == campaign_sample(campaign, NOW)
        campaign.seed = 7
        assert campaign_sample(campaign, NOW) != first

    def test_fewer_eligible_than_the_sample_size(self, campaign, frozen):
        requester_with_ticket()
        assert len(campaign_sample(campaign, NOW)) == 1


class TestLaunchAndAnswer:
    def test_launch_sends_once_and_the_link_records_only_on_post(
        self, client, campaign, frozen, django_capture_on_commit_callbacks
    ):
        requester = requester_with_ticket(language="nl", email="ann@example.org")
        assert launch(campaign, django_capture_on_commit_callbacks) == 1
        assert launch(campaign, django_capture_on_commit_callbacks) == 0  # launched once
        [message] = mail.outbox
        assert message.to == ["ann@example.org"]
        assert "aanbeveelt" in message.body  # the Dutch question for a Dutch requester
        link = link_for(message, 3)
        page = client.get(link)
        assert page.status_code == 200
        assert b"Waar moet IT mee beginnen?" in page.content
        assert not CampaignAnswer.objects.exists()  # GET (as a mail scanner does) records nothing
        reply = client.post(
            link.split("?")[0], {"score": "3", "answer_1": "Answer faster.", "answer_2": ""}
        )
        assert reply.status_code == 302
        answer = CampaignAnswer.objects.get()
        assert (answer.score, answer.answer_1, answer.invitation.requester) == (
            3,
            "Answer faster.",
            requester,
        )
        client.post(link.split("?")[0], {"score": "10"})  # a second POST changes nothing
        assert CampaignAnswer.objects.get().score == 3

    def test_an_anonymous_answer_has_no_link_to_the_person(
        self, client, campaign, frozen, django_capture_on_commit_callbacks
    ):
        campaign.anonymous = True
        campaign.save()
        requester_with_ticket()
        launch(campaign, django_capture_on_commit_callbacks)
        link = link_for(mail.outbox[0], 8).split("?")[0]
        client.post(link, {"score": "8"})
        answer = CampaignAnswer.objects.get()
        assert answer.invitation is None and answer.answered_on == NOW.date()
        assert not hasattr(answer, "requester")

    def test_bad_input_and_unknown_or_expired_links(
        self, client, campaign, frozen, django_capture_on_commit_callbacks
    ):
        requester_with_ticket()
        launch(campaign, django_capture_on_commit_callbacks)
        link = link_for(mail.outbox[0], 1).split("?")[0]
        assert client.post(link, {"score": "11"}).status_code == 400
        assert client.get("/c/not-a-token/").status_code == 404
        CampaignInvitation.objects.update(expires_at=NOW)
        assert client.post(link, {"score": "5"}).status_code == 410
        assert not CampaignAnswer.objects.exists()

    def test_at_most_three_open_questions(self, campaign):
        from django.core.exceptions import ValidationError

        campaign.open_questions_en = "a\nb\nc\nd"
        with pytest.raises(ValidationError):
            campaign.full_clean()


def answers(campaign, count, score=2, **fields):
    """Answers as the survey stores them: one per person (one invitation each)."""
    for _ in range(count):
        CampaignAnswer.objects.create(
            campaign=campaign, score=score, answered_on=NOW.date(), **fields
        )


class TestResults:
    def test_it_managers_see_results_others_get_404(
        self, client, alice, bob, dave, charlie, campaign, frozen
    ):
        answers(campaign, 4)
        answers(campaign, 1, answer_1="More people.")
        client.force_login(alice)
        page = client.get(f"/followups/campaigns/{campaign.pk}/")
        assert page.status_code == 200 and b"More people." in page.content
        assert b"data-results>" in page.content
        assert (
            f'data-campaign="{campaign.pk}"'.encode() in client.get("/followups/campaigns/").content
        )
        for user in (bob, dave, charlie):
            client.force_login(user)
            refused = 403 if user == charlie else 404  # charlie has no role at all
            assert client.get(f"/followups/campaigns/{campaign.pk}/").status_code == refused
            assert client.get("/followups/campaigns/").status_code == refused

    def test_fewer_answers_than_the_minimum_group_show_nothing(
        self, client, alice, campaign, frozen
    ):
        answers(campaign, 3, score=0)
        answers(campaign, 1, score=10, answer_1="Only Ann says this.")
        client.force_login(alice)
        page = client.get(f"/followups/campaigns/{campaign.pk}/").content.decode()
        assert "Only Ann says this." not in page
        assert "data-results>" not in page and "Answers per score" not in page
        assert "4 answers of 0 sent" in page
        assert "Results are shown from 5 answers on" in page

    def test_the_minimum_is_the_one_setting(self, client, alice, campaign, frozen, settings):
        settings.ITPULSE_MIN_GROUP = 3
        answers(campaign, 3, answer_1="Three of us.")
        client.force_login(alice)
        assert b"Three of us." in client.get(f"/followups/campaigns/{campaign.pk}/").content

    def test_no_answers_yet(self, client, alice, campaign):
        client.force_login(alice)
        page = client.get(f"/followups/campaigns/{campaign.pk}/")
        assert b"Results are shown from 5 answers on" in page.content
