"""A periodic survey's anonymous flag and question are what its people were promised and asked:
editable while it is a draft, fixed from its launch on, in the admin and in the service."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from campaigns.models import Campaign
from campaigns.services import campaign_save

from .conftest import NOW

pytestmark = pytest.mark.django_db

LOCKED = "Whether a periodic survey is anonymous, and its question, cannot change after its launch."


@pytest.fixture
def root(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="password"))
    return client


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(name="Autumn", sample_size=3, seed=42)


def launched(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.RUNNING, launched_at=NOW)
    campaign.refresh_from_db()
    return campaign


def form_data(campaign, **changes):
    data = {
        "name": campaign.name,
        "question_en": campaign.question_en,
        "question_nl": campaign.question_nl,
        "open_questions_en": campaign.open_questions_en,
        "open_questions_nl": campaign.open_questions_nl,
        "sample_size": campaign.sample_size,
        "lookback_days": campaign.lookback_days,
        "not_surveyed_days": campaign.not_surveyed_days,
        "link_valid_days": campaign.link_valid_days,
        "seed": campaign.seed,
        **changes,
    }
    if campaign.anonymous and "anonymous" not in changes:
        data["anonymous"] = "on"
    return data


def change(client, campaign, **changes):
    url = f"/admin/campaigns/campaign/{campaign.pk}/change/"
    return client.post(url, form_data(campaign, **changes))


class TestAdmin:
    def test_a_draft_can_change_both(self, root, campaign):
        reply = change(root, campaign, anonymous="on", question_en="Did IT help you this year?")
        assert reply.status_code == 302
        campaign.refresh_from_db()
        assert campaign.anonymous is True
        assert campaign.question_en == "Did IT help you this year?"

    def test_after_launch_anonymous_cannot_be_switched_on(self, root, campaign):
        launched(campaign)
        reply = change(root, campaign, anonymous="on", name="Autumn survey")
        assert reply.status_code == 200
        assert LOCKED in reply.content.decode()
        campaign.refresh_from_db()
        assert (campaign.anonymous, campaign.name) == (False, "Autumn")  # nothing was saved

    def test_after_launch_anonymous_cannot_be_switched_off(self, root, campaign):
        campaign.anonymous = True
        campaign.save()
        launched(campaign)
        reply = change(root, campaign, anonymous="false")
        assert reply.status_code == 200 and LOCKED in reply.content.decode()
        # The read-only page sends no checkbox at all: the flag stays, other edits are saved.
        data = form_data(campaign, name="Autumn survey")
        del data["anonymous"]
        url = f"/admin/campaigns/campaign/{campaign.pk}/change/"
        assert root.post(url, data).status_code == 302
        campaign.refresh_from_db()
        assert (campaign.anonymous, campaign.name) == (True, "Autumn survey")

    def test_after_launch_the_question_cannot_change(self, root, campaign):
        launched(campaign)
        reply = change(root, campaign, question_en="Did IT help you this year?")
        assert reply.status_code == 200 and LOCKED in reply.content.decode()
        campaign.refresh_from_db()
        assert campaign.question_en.startswith("How likely")

    def test_the_change_page_shows_them_read_only_and_says_why(self, root, campaign):
        url = f"/admin/campaigns/campaign/{campaign.pk}/change/"
        page = root.get(url).content.decode()
        assert 'name="anonymous"' in page and 'name="question_en"' in page
        assert LOCKED not in page
        launched(campaign)
        page = root.get(url).content.decode()
        assert 'name="anonymous"' not in page and 'name="question_en"' not in page
        assert 'name="question_nl"' not in page and 'name="name"' in page
        assert LOCKED in page

    def test_the_message_is_dutch_for_a_dutch_administrator(self, root, campaign):
        launched(campaign)
        reply = root.post(
            f"/admin/campaigns/campaign/{campaign.pk}/change/",
            form_data(campaign, anonymous="on"),
            headers={"accept-language": "nl"},
        )
        translation.activate("en")  # the request left Dutch active in this thread
        assert "anoniem" in reply.content.decode()


class TestService:
    def test_refuses_a_change_after_launch(self, campaign):
        launched(campaign)
        campaign.anonymous = True
        with pytest.raises(ValidationError) as refused:
            campaign_save(campaign=campaign)
        assert refused.value.message_dict == {"anonymous": [LOCKED]}
        campaign.question_nl = "Iets anders?"
        with pytest.raises(ValidationError):
            campaign_save(campaign=campaign)
        stored = Campaign.objects.get()
        assert stored.anonymous is False and stored.question_nl.startswith("Hoe waarschijnlijk")

    def test_a_copy_loaded_before_the_launch_is_refused_too(self, campaign):
        stale = Campaign.objects.get()  # read while still a draft
        launched(campaign)
        stale.anonymous = True
        with pytest.raises(ValidationError):
            campaign_save(campaign=stale)

    def test_other_edits_after_launch_keep_the_launch(self, campaign):
        stale = Campaign.objects.get()  # a draft in memory, launched meanwhile
        launched(campaign)
        stale.name = "Autumn 2026"
        campaign_save(campaign=stale)
        stored = Campaign.objects.get()
        assert (stored.name, stored.status, stored.launched_at) == (
            "Autumn 2026",
            Campaign.Status.RUNNING,
            NOW,
        )

    def test_a_draft_may_change_both(self, campaign):
        campaign.anonymous = True
        campaign.question_en = "Did IT help you this year?"
        campaign_save(campaign=campaign)
        assert Campaign.objects.get().anonymous is True


def test_the_admins_old_address_leads_to_the_moved_page(root, campaign):
    reply = root.get(f"/admin/followups/campaign/{campaign.pk}/change/?_changelist_filters=x")
    assert reply.status_code == 302
    assert reply["Location"] == (
        f"/admin/campaigns/campaign/{campaign.pk}/change/?_changelist_filters=x"
    )
    assert root.get(reply["Location"]).status_code == 200
