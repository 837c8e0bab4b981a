"""Delivery under faults, on real processes: every survey arrives exactly once, or fails once.

Each test starts its own SMTP server (aiosmtpd), Celery workers with embedded beat and, where
the broker itself fails, a Redis server of its own on a free port: stopping it disturbs nobody.
Dispatch ticks every second and dead workers' rows are reclaimed after 3 s, so that the whole
module runs in well under a minute.
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime

import pytest
import redis
import requests
from aiosmtpd.controller import Controller

from surveys.api_tokens import api_token_create
from surveys.models import Invitation
from tests.factories import InvitationFactory, TeamFactory

from .conftest import ROOT, Inbox, free_port, needs_real_services, stop_processes, worker_env

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FAST = {
    "ITPULSE_DISPATCH_INTERVAL": "1",
    "ITPULSE_SENDING_TIMEOUT": "3",
    "ITPULSE_RETRY_BASE_SECONDS": "1",
}


def wait_until(condition, timeout=45, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def statuses() -> Counter:
    return Counter(Invitation.objects.values_list("status", flat=True))


def assert_each_once(inbox: Inbox, count: int):
    inbox.wait_for(count)
    time.sleep(2.5)  # a second tick and a reclaim timeout: nothing more may arrive
    recipients = Counter(message["To"] for message in inbox.messages)
    assert len(inbox.messages) == count, recipients.most_common(3)
    assert set(recipients.values()) == {1}
    wait_until(lambda: statuses() == Counter({"sent": count}), 10, "all invitations sent")


class ScriptedSMTP(Inbox):
    """An SMTP server whose answer to each recipient the test decides (`rcpt` callback)."""

    def __init__(self, rcpt=None):
        super().__init__()
        self.rcpt = rcpt or (lambda address, seen: None)
        self.seen = Counter()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.seen[address] += 1
        refusal = self.rcpt(address, self.seen[address])
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"


def start_smtp(handler, port=None) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    handler.port = controller.port
    return controller


@pytest.fixture
def controllers():
    started = []
    yield started
    for controller in started:
        controller.stop()


@pytest.fixture
def own_processes():
    started = []
    yield started
    stop_processes(started)


def start_redis(port: int, own_processes) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    own_processes.append(proc)
    client = redis.Redis(port=port)
    wait_until(lambda: _pings(client), 10, "redis to start")
    return proc


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


def test_a_broker_outage_while_50_tickets_close_loses_and_doubles_nothing(
    start_worker, own_processes, controllers
):
    needs_real_services()
    team = TeamFactory(slug="workplace")
    _token, api_token = api_token_create(name="jira")
    inbox = ScriptedSMTP()
    controllers.append(start_smtp(inbox))
    redis_port, web_port = free_port(), free_port()
    broker = f"redis://127.0.0.1:{redis_port}/0"
    redis_server = start_redis(redis_port, own_processes)
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "itpulse.wsgi",
            "-b",
            f"127.0.0.1:{web_port}",
            "--workers",
            "1",
            "--threads",
            "4",
        ],
        cwd=ROOT,
        env=worker_env(REDIS_URL=broker, ITPULSE_THROTTLE_DAYS="0"),
        start_new_session=True,
    )
    own_processes.append(web)
    base = f"http://127.0.0.1:{web_port}"
    start_worker(smtp_port=inbox.port, base_url=base, beat=True, REDIS_URL=broker, **FAST)
    wait_until(lambda: _up(base), 20, "the web server")

    redis_server.terminate()
    redis_server.wait(timeout=10)
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {api_token}"
    for n in range(50):
        response = api.post(
            f"{base}/api/v1/tickets/closed",
            json={
                "source": "jira",
                "external_id": f"OUT-{n}",
                "team": team.slug,
                "requester": {"email": f"person{n}@example.org"},
                # Just now: the web server is a process on the real clock, and a ticket closed
                # longer ago than ITPULSE_MAX_TICKET_AGE_DAYS is not surveyed.
                "closed_at": datetime.now(UTC).isoformat(),
            },
            timeout=20,
        )
        assert response.status_code == 201, response.text
    assert statuses() == Counter({"planned": 50})
    assert inbox.messages == []

    start_redis(redis_port, own_processes)
    assert_each_once(inbox, 50)


def _up(base) -> bool:
    try:
        return requests.get(f"{base}/accounts/login/", timeout=5).status_code == 200
    except requests.RequestException:
        return False


class Gate(ScriptedSMTP):
    """Accepts `open_for` messages, then holds the next one until the test releases it."""

    def __init__(self, open_for: int):
        super().__init__()
        self.open_for = open_for
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if len(self.messages) >= self.open_for and not self.release.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            # The sender died before this message was accepted: it was never delivered.
            return "451 4.4.2 connection lost"
        return await super().handle_DATA(server, session, envelope)


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(start_worker, controllers):
    needs_real_services()
    InvitationFactory.create_batch(30)
    gate = Gate(open_for=12)
    controllers.append(start_smtp(gate))
    first = start_worker(
        smtp_port=gate.port,
        base_url="https://pulse.example.org",
        pool="solo",
        beat=True,
        **FAST,
    )
    assert gate.holding.wait(45), "the worker never reached the 13th message"
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    gate.release.set()
    assert len(gate.messages) == 12
    assert statuses() == Counter({"sent": 12, "sending": 18})

    start_worker(
        smtp_port=gate.port,
        base_url="https://pulse.example.org",
        beat=True,
        **FAST,
    )
    assert_each_once(gate, 30)


def test_smtp_refusing_for_a_while_then_accepting_delivers_once(start_worker, controllers):
    needs_real_services()
    InvitationFactory.create_batch(5)
    port = free_port()  # nothing listens yet: connection refused
    start_worker(smtp_port=port, base_url="https://pulse.example.org", beat=True, **FAST)
    wait_until(
        lambda: Invitation.objects.filter(attempts=1, status="planned").count() == 5,
        what="the first, refused attempt of every invitation",
    )
    assert "refused" in Invitation.objects.first().reason.lower()
    # Then a server that answers "try again later" once per recipient, then accepts.
    server = ScriptedSMTP(
        rcpt=lambda address, seen: "451 4.3.0 try again later" if seen == 1 else None
    )
    controllers.append(start_smtp(server, port=port))
    assert_each_once(server, 5)
    assert set(Invitation.objects.values_list("attempts", flat=True)) == {3}


def test_smtp_rejecting_permanently_fails_with_the_reason_and_no_retry_storm(
    start_worker, controllers
):
    needs_real_services()
    InvitationFactory.create_batch(5)
    server = ScriptedSMTP(rcpt=lambda address, seen: "550 5.1.1 no such user")
    controllers.append(start_smtp(server))
    start_worker(
        smtp_port=server.port,
        base_url="https://pulse.example.org",
        beat=True,
        **FAST,
    )
    wait_until(lambda: statuses() == Counter({"failed": 5}), what="all invitations failed")
    time.sleep(3)  # three more ticks: nothing is tried again
    assert sum(server.seen.values()) == 5 and server.messages == []
    reasons = set(Invitation.objects.values_list("reason", flat=True))
    assert reasons == {"550 5.1.1 no such user"}
