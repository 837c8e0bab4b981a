"""An anonymous periodic survey's invitation keeps whether it was answered, never when: its
answer keeps its day, and the same day on the invitation would pair the two again."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns.models import Campaign, CampaignAnswer, CampaignInvitation
from campaigns.services import campaign_launch

from .conftest import NOW
from .factories import RequesterFactory, TicketFactory


def make_campaign(anonymous):
    return Campaign.objects.create(
        name="Autumn",
        sample_size=1,
        anonymous=anonymous,
        open_questions_en="What should IT start doing?",
        seed=42,
    )


def launched_link(campaign, capture):
    TicketFactory(requester=RequesterFactory(), closed_at=NOW - timedelta(days=10))
    with capture(execute=True):
        campaign_launch(campaign=campaign)
    return re.search(r"http://[^\s]+/c/[\w-]+/", mail.outbox[0].body).group(0)


def invitation_row() -> dict:
    """Every column of the one invitation, as the database holds it (not as the model says)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM followups_campaigninvitation")
        [values] = cursor.fetchall()
        return dict(zip([column.name for column in cursor.description], values, strict=True))


def days_in(row: dict) -> set[date]:
    return {
        value.date() if isinstance(value, datetime) else value
        for value in row.values()
        if isinstance(value, date)
    }


@pytest.mark.django_db
class TestAnswering:
    def test_an_anonymous_invitation_keeps_no_day_or_time_of_the_answer(
        self, client, frozen, django_capture_on_commit_callbacks
    ):
        link = launched_link(make_campaign(anonymous=True), django_capture_on_commit_callbacks)
        answered_at = NOW + timedelta(days=3, hours=4, minutes=37)
        frozen.move_to(answered_at)
        assert client.post(link, {"score": "8", "answer_1": "More training."}).status_code == 302
        row = invitation_row()
        assert row["answered"] is True and row["answered_on"] is None
        assert answered_at.date() not in days_in(row)
        # The answer keeps its day only, and nothing that points back.
        answer = CampaignAnswer.objects.get()
        assert (answer.answered_on, answer.invitation_id) == (answered_at.date(), None)

        # The same link cannot answer twice: a second POST records nothing, the page says thanks.
        assert client.post(link, {"score": "0"}).status_code == 302
        assert [a.score for a in CampaignAnswer.objects.all()] == [8]
        assert client.get(link)["Location"].endswith("/thanks/")
        assert client.get(link + "thanks/").status_code == 200

    def test_a_named_invitation_keeps_its_day(
        self, client, frozen, django_capture_on_commit_callbacks
    ):
        link = launched_link(make_campaign(anonymous=False), django_capture_on_commit_callbacks)
        client.post(link, {"score": "8"})
        invitation = CampaignInvitation.objects.get()
        assert (invitation.answered, invitation.answered_on) == (True, NOW.date())
        assert CampaignAnswer.objects.get().invitation == invitation

    def test_an_unanswered_link_is_still_open(
        self, client, frozen, django_capture_on_commit_callbacks
    ):
        link = launched_link(make_campaign(anonymous=True), django_capture_on_commit_callbacks)
        assert client.get(link).status_code == 200
        assert client.get(link + "thanks/").status_code == 404
        assert CampaignInvitation.objects.get().answered is False


@pytest.mark.django_db(transaction=True)
def test_the_migration_forgets_the_day_of_anonymous_answers():
    before = [("followups", "0006_campaigns")]
    after = [("followups", "0007_campaign_invitation_answered")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        Campaign0006 = old.get_model("followups", "Campaign")
        Invitation0006 = old.get_model("followups", "CampaignInvitation")
        sent = {"status": "sent", "sent_at": NOW, "expires_at": NOW + timedelta(days=21)}
        named = Campaign0006.objects.create(name="Named", anonymous=False, seed=1)
        hidden = Campaign0006.objects.create(name="Anonymous", anonymous=True, seed=2)
        answered_day = (NOW + timedelta(days=2)).date()
        people = [RequesterFactory().pk for _ in range(3)]
        Invitation0006.objects.create(
            campaign=named, requester_id=people[0], answered_on=answered_day, **sent
        )
        Invitation0006.objects.create(
            campaign=hidden, requester_id=people[1], answered_on=answered_day, **sent
        )
        Invitation0006.objects.create(campaign=hidden, requester_id=people[2], **sent)

        executor.loader.build_graph()
        executor.migrate(after)
        # The model as of that migration: today's has columns added since (campaigns 0002).
        Invitation0007 = executor.loader.project_state(after).apps.get_model(
            "followups", "CampaignInvitation"
        )
        rows = Invitation0007.objects.order_by("requester_id")
        assert [(i.answered, i.answered_on) for i in rows] == [
            (True, answered_day),
            (True, None),
            (False, None),
        ]

        executor.loader.build_graph()
        executor.migrate(before)  # back: still closed, with the day it was sent, not answered
        rows = Invitation0006.objects.order_by("requester_id")
        assert [i.answered_on for i in rows] == [answered_day, NOW.date(), None]
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
