"""`GET /health/` for monitoring: 200 while the database, cache and broker answer and nothing
waits to be sent for longer than ITPULSE_HEALTH_MAX_DUE_SECONDS; 503 saying which check failed
otherwise. No sign-in, and nothing in it that names a person, ticket or team."""

from datetime import timedelta

import pytest

from itpulse.celery import app as celery_app
from surveys.models import Invitation

from .conftest import NOW
from .factories import InvitationFactory

pytestmark = pytest.mark.django_db


def test_all_well_is_200_with_each_check_timed(client, frozen):
    answer = client.get("/health/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
    }
    assert body["outbox"]["invitations"] == {
        "due": 0,
        "oldest_due_seconds": 0.0,
        "retrying": 0,
        "stuck": 0,
        "ok": True,
    }
    assert "no-store" in answer["Cache-Control"]


def test_a_survey_due_too_long_means_no_worker_or_beat_is_running(client, frozen, settings):
    settings.ITPULSE_HEALTH_MAX_DUE_SECONDS = 600
    invitation = InvitationFactory(send_after=NOW - timedelta(minutes=5))
    assert client.get("/health/").status_code == 200  # a tick or two behind: fine

    Invitation.objects.filter(pk=invitation.pk).update(send_after=NOW - timedelta(minutes=11))
    answer = client.get("/health/")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "failing"
    assert body["outbox"]["invitations"]["due"] == 1
    assert body["outbox"]["invitations"]["oldest_due_seconds"] == 660.0
    assert body["outbox"]["invitations"]["ok"] is False
    assert invitation.requester.email not in answer.content.decode()


def test_retries_and_dead_workers_rows_are_counted_apart(client, frozen, settings):
    settings.ITPULSE_SENDING_TIMEOUT = 360
    InvitationFactory(send_after=NOW + timedelta(minutes=4), attempts=2)  # waiting for a retry
    InvitationFactory(send_after=NOW + timedelta(hours=2))  # planned for office hours: not late
    InvitationFactory(
        status=Invitation.Status.SENDING, claimed_at=NOW - timedelta(minutes=7), send_after=NOW
    )
    outbox = client.get("/health/").json()["outbox"]["invitations"]
    assert (outbox["due"], outbox["retrying"], outbox["stuck"]) == (0, 1, 1)


def test_an_unreachable_cache_is_503_naming_it(client, frozen, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    answer = client.get("/health/")
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["cache"]["ok"] is False
    assert "Connection" in checks["cache"]["error"]
    assert checks["database"]["ok"] is True


def test_an_unreachable_broker_is_503_naming_it(client, frozen, monkeypatch):
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    answer = client.get("/health/")
    assert answer.status_code == 503
    assert answer.json()["checks"]["broker"]["ok"] is False


def test_it_takes_no_post(client):
    assert client.post("/health/").status_code == 405
