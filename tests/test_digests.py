"""Weekly digests: due at the chosen hour in the user's zone, once per period, only own data."""

import smtplib
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from accounts.models import Preference
from delivery import engine
from delivery.digests import KIND, digest_send, digests_due, digests_tick
from delivery.models import Digest
from delivery.tasks import tick
from scoring.digests import digest_period
from surveys.models import Agent

from .conftest import NOW
from .factories import AgentFactory, ResponseFactory, TeamFactory

pytestmark = pytest.mark.django_db
# NOW is Wednesday 25 November 2026, 10:00 UTC = 11:00 in Amsterdam.


def answers(team, scores, days_ago=2, agent=None, comment=""):
    when = NOW - timedelta(days=days_ago)
    for score in scores:
        extra = {"invitation__ticket__agent": agent} if agent else {}
        ResponseFactory(
            invitation__ticket__team=team,
            invitation__sent_at=when - timedelta(hours=1),
            score=score,
            comment=comment,
            created_at=when,
            **extra,
        )


@pytest.fixture
def bob_wednesday(bob):
    bob.email = "bob@example.org"
    bob.save()
    Preference.objects.create(
        user=bob, time_zone="Europe/Amsterdam", digest_weekday=2, digest_hour=11
    )
    return bob


def test_the_period_is_the_seven_days_until_yesterday(frozen):
    period = digest_period(NOW)
    assert (period.since, period.until) == (date(2026, 11, 18), date(2026, 11, 24))


def test_the_lead_gets_nps_margin_change_rate_comments_and_followups(bob_wednesday, team, frozen):
    answers(team, [10] * 6 + [9] * 2 + [0] * 2, comment="")
    answers(team, [3], comment="Printer still jams.")
    answers(team, [0] * 10, days_ago=9)  # the week before: much worse
    digests_tick.delay()
    [message] = mail.outbox
    assert message.to == ["bob@example.org"]
    body = message.body
    assert "== Workplace ==" in body
    assert "NPS 45 ±" in body  # 8 promoters, 3 detractors of 11
    assert "145 points, beyond the noise" in body
    assert "Response rate: 100% (11/11)" in body
    assert "New comments: 1" in body and "Printer still jams." in body
    assert "Follow-up: 0 open, 0 overdue." in body  # factories open no cases
    assert "Printer still jams." in message.alternatives[0][0]


def test_a_beat_firing_twice_sends_once(bob_wednesday, team, frozen):
    answers(team, [9])
    digests_tick.delay()
    digests_tick.delay()
    assert len(mail.outbox) == 1
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        digests_tick.delay()
    assert len(mail.outbox) == 1
    assert Digest.objects.get().sent_at == NOW


def test_two_workers_with_the_same_digest_send_once(bob_wednesday, team, frozen):
    period = digest_period(NOW)
    assert digest_send(user_id=bob_wednesday.id, kind="lead", period_until=period.until)
    assert not digest_send(user_id=bob_wednesday.id, kind="lead", period_until=period.until)
    assert len(mail.outbox) == 1


def test_not_before_the_chosen_hour_in_the_users_zone(bob_wednesday, team):
    bob_wednesday.preference.digest_hour = 12  # 12:00 Amsterdam = 11:00 UTC
    bob_wednesday.preference.save()
    with time_machine.travel(NOW + timedelta(minutes=50), tick=False):
        assert digests_due() == []
    with time_machine.travel(NOW + timedelta(minutes=61), tick=False):
        assert len(digests_due()) == 1


def test_not_on_another_day_and_not_when_switched_off(bob_wednesday, team, frozen):
    bob_wednesday.preference.digest_weekday = 0
    bob_wednesday.preference.save()
    assert digests_due() == []
    bob_wednesday.preference.digest_weekday = 2
    bob_wednesday.preference.digest_enabled = False
    bob_wednesday.preference.save()
    assert digests_due() == []


def test_in_the_leads_language(bob_wednesday, team, frozen):
    bob_wednesday.preference.language = "nl"
    bob_wednesday.preference.save()
    digests_tick.delay()
    assert "Uw teams" in mail.outbox[0].subject


def test_a_week_without_data_says_so(bob_wednesday, team, frozen):
    digests_tick.delay()
    [message] = mail.outbox
    assert "No surveys were sent or answered in this period." in message.body
    assert "NPS" not in message.body.split("==")[2]


def test_outsiders_get_no_digest_and_a_lead_sees_only_their_teams(
    bob_wednesday, charlie, team, frozen
):
    charlie.email = "charlie@example.org"
    charlie.save()
    Preference.objects.create(user=charlie, digest_weekday=2, digest_hour=0)
    answers(TeamFactory(name="Network", slug="network"), [0], comment="Network secret.")
    digests_tick.delay()
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]
    assert "Network" not in mail.outbox[0].body


class TestAgentDigest:
    @pytest.fixture
    def dave_wednesday(self, dave):
        dave.email = "dave@example.org"
        dave.save()
        Preference.objects.create(user=dave, digest_weekday=2, digest_hour=9)
        return dave

    def test_the_agent_gets_only_their_own_feedback(self, dave_wednesday, team, frozen):
        agent = Agent.objects.get(user=dave_wednesday)
        answers(team, [4], agent=agent, comment="Dave forgot to call.")
        answers(team, [10], agent=AgentFactory(team=team), comment="Someone else shone.")
        digests_tick.delay()
        [message] = mail.outbox
        assert message.to == ["dave@example.org"]
        assert "Dave forgot to call." in message.body
        assert "Someone else" not in message.body
        assert "Promoters 0, passives 0, detractors 1." in message.body

    def test_no_feedback_no_mail_and_not_retried(self, dave_wednesday, team, frozen):
        digests_tick.delay()
        assert mail.outbox == []
        assert Digest.objects.get().sent_at is None
        assert digests_due() == []


class TestPreferencesPage:
    def test_a_user_sets_their_digest_time(self, client, bob):
        client.force_login(bob)
        reply = client.post(
            "/me/preferences/",
            {
                "language": "nl",
                "time_zone": "America/New_York",
                "digest_enabled": "on",
                "digest_weekday": "4",
                "digest_hour": "7",
            },
        )
        assert reply.status_code == 302
        preference = Preference.objects.get(user=bob)
        assert (preference.language, preference.digest_weekday, preference.digest_hour) == (
            "nl",
            4,
            7,
        )

    def test_an_unknown_zone_or_hour_is_refused(self, client, bob):
        client.force_login(bob)
        for zone, hour in (("Mars/Olympus", "7"), ("Europe/Amsterdam", "24")):
            reply = client.post(
                "/me/preferences/",
                {"language": "en", "time_zone": zone, "digest_weekday": "0", "digest_hour": hour},
            )
            assert reply.status_code == 400
        assert not Preference.objects.filter(user=bob).exists()

    def test_it_needs_login(self, client):
        assert client.get("/me/preferences/").status_code == 302


class TestDelivery:
    """Digests go through the delivery engine: claimed, retried, reclaimed like every message."""

    def test_a_refused_digest_is_retried_with_backoff_then_sent(
        self, bob_wednesday, team, frozen, smtp_script, settings
    ):
        settings.ITPULSE_RETRY_BASE_SECONDS = 60
        smtp_script.script.append(
            smtplib.SMTPRecipientsRefused({"bob@example.org": (451, b"4.3.0 try later")})
        )
        digests_tick.delay()
        digest = Digest.objects.get()
        assert (digest.status, digest.attempts, mail.outbox) == ("planned", 1, [])
        assert "451" in digest.reason
        assert NOW + timedelta(seconds=30) <= digest.send_after <= NOW + timedelta(seconds=90)
        frozen.move_to(digest.send_after)
        tick()  # delivery's beat tick sends every kind that is due
        digest.refresh_from_db()
        assert (digest.status, digest.attempts, digest.sent_at) == ("sent", 2, digest.send_after)
        assert [m.to for m in mail.outbox] == [["bob@example.org"]]
        tick()
        digests_tick.delay()
        assert len(mail.outbox) == 1

    def test_a_digest_held_by_a_dead_worker_is_sent_once_after_the_timeout(
        self, bob_wednesday, team, frozen, settings
    ):
        settings.ITPULSE_SENDING_TIMEOUT = 600
        digests_due()
        dead = engine.claim_due(KIND, now=NOW, limit=10)  # ...and the worker dies here
        assert len(dead.rows) == 1
        digests_tick.delay()
        tick()
        assert mail.outbox == []  # still held: its worker might be alive
        frozen.shift(timedelta(minutes=11))
        tick()
        assert [m.to for m in mail.outbox] == [["bob@example.org"]]
        tick()
        digests_tick.delay()
        assert len(mail.outbox) == 1
        assert Digest.objects.get().status == "sent"
