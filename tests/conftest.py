"""Shared actors and fixtures.

Actors, as in healthchecks' hc/test.py, each given their role through accounts.services: alice is
an IT manager (sees every team), bob leads one team, carol is an administrator (runs delivery,
connectors and imports, works in the admin, sees no scores), dave is an agent of bob's team (sees
his own feedback), audrey is an auditor (reads the audit log), and charlie is an outsider with no
role who may see nothing.
"""

import contextlib
import os
import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import override_settings

from accounts.roles import Role
from accounts.services import role_grant
from itpulse.celery import app as celery_app
from surveys.api_tokens import api_token_create

from .factories import AgentFactory, TeamFactory

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)

# scripts/test.sh runs the suite in parallel (pytest-xdist): each process has its own test
# database (pytest-django adds the worker's name), and here its own Celery queue, so that the
# worker an end-to-end test starts never takes a task that the other process queued for rows
# of its own database. (Redis is shared: cache keys get a prefix per test, fresh_cache below.)
if _xdist := os.environ.get("PYTEST_XDIST_WORKER"):
    _queue = f"{django_settings.CELERY_TASK_DEFAULT_QUEUE}-{_xdist}"
    os.environ["ITPULSE_QUEUE"] = _queue  # for the worker processes the e2e tests start
    django_settings.CELERY_TASK_DEFAULT_QUEUE = _queue
    celery_app.conf.task_default_queue = _queue
# What the deployed settings hash passwords with (Django's default: PBKDF2, 1.5 million rounds),
# kept for the test that checks they still do (tests/test_signin_passwords.py).
DEPLOYED_PASSWORD_HASHERS = list(django_settings.PASSWORD_HASHERS)


@pytest.fixture(scope="session", autouse=True)
def fast_password_hasher():
    """One PBKDF2 hash costs about 0.4 s of CPU here, and every actor below sets a password
    (a sign-in checks one more): hashing was most of the suite's time. The tests are about who
    may do what, not about the hash, so they hash with MD5; the one test about the deployed
    hasher puts DEPLOYED_PASSWORD_HASHERS back. Processes a test starts (gunicorn, Celery,
    the OIDC provider) read the deployed settings: none of them checks a password made here."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@contextlib.contextmanager
def eager_tasks():
    """Run tasks in-process while inside."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def eager_celery():
    """Unit and integration tests run tasks in-process; the e2e tests use a real worker."""
    with eager_tasks():
        yield


@pytest.fixture(autouse=True)
def no_throttle(settings):
    """Most tests close several tickets for one requester; throttling tests turn it back on."""
    settings.ITPULSE_THROTTLE_DAYS = 0


@pytest.fixture(autouse=True)
def no_age_limit(settings):
    """Most tests close tickets at fixed times (2026-11-25), many without the frozen clock, so
    that the real clock would make them too old to survey; tests/test_too_old.py turns the
    limit back on."""
    settings.ITPULSE_MAX_TICKET_AGE_DAYS = 0


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Rate-limit counters live in the shared cache (Redis), which outlives a test, and the
    frozen clock puts every test in the same window: each test counts under its own prefix."""
    default = settings.CACHES["default"]
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": uuid.uuid4().hex}}


@pytest.fixture
def counters_in_memory(settings):
    """For tests that count the app's queries on either database: on the embedded default
    (SQLite, no Redis) the rate-limit counters live in a database table and would add theirs."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def mfa_not_required(settings):
    """ITPULSE_REQUIRE_MFA defaults to on with PostgreSQL, as the tests run; the tests of the
    second factor (tests/test_signin_mfa.py) turn it back on."""
    settings.ITPULSE_REQUIRE_MFA = False


@pytest.fixture
def celery_eager_off():
    """Publish tasks for real (to the test's broker) instead of running them in-process."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


@pytest.fixture
def smtp_script(settings):
    """Script the SMTP answers: append exceptions (refusals) or None (accepted) to `.script`."""
    from .mailers import ScriptedBackend

    settings.MAILERS = {"default": {"BACKEND": "tests.mailers.ScriptedBackend"}}
    ScriptedBackend.script, ScriptedBackend.opened = [], 0
    return ScriptedBackend


@pytest.fixture
def rollups_checked(db):
    """For tests that delete: after the test, `check_rollups` must find the dashboard's counts
    equal to a recount of the rows (it raises, listing the differences, when not)."""
    yield
    from django.core.management import call_command

    call_command("check_rollups", verbosity=0)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(db):
    return TeamFactory(name="Workplace", slug="workplace")


@pytest.fixture
def alice(django_user_model):
    user = django_user_model.objects.create_user("alice", password="password")
    role_grant(user=user, role=Role.IT_MANAGER)
    return user


@pytest.fixture
def bob(django_user_model, team):
    user = django_user_model.objects.create_user("bob", password="password")
    role_grant(user=user, role=Role.TEAM_LEAD, team=team)
    return user


@pytest.fixture
def carol(django_user_model):
    user = django_user_model.objects.create_user("carol", password="password")
    role_grant(user=user, role=Role.ADMINISTRATOR)
    return user


@pytest.fixture
def audrey(django_user_model):
    user = django_user_model.objects.create_user("audrey", password="password")
    role_grant(user=user, role=Role.AUDITOR)
    return user


@pytest.fixture
def charlie(django_user_model):
    return django_user_model.objects.create_user("charlie", password="password")


@pytest.fixture
def dave(django_user_model, team):
    user = django_user_model.objects.create_user("dave", password="password")
    AgentFactory(team=team, user=user, email="dave@example.org", name="Dave")
    return user


@pytest.fixture
def api_token(db):
    _token, raw = api_token_create(name="jira")
    return raw


@pytest.fixture
def api_headers(api_token):
    return {"HTTP_AUTHORIZATION": f"Bearer {api_token}"}
