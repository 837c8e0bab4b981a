"""Real processes for end-to-end tests: an SMTP server (aiosmtpd) and a Celery worker.

The worker is a separate OS process that talks to the same PostgreSQL test database and the
same Redis as the test, exactly as in production; only the queue name is private to this run
(ITPULSE_QUEUE, set by scripts/test.sh) so that no other worker on the machine takes our tasks.
"""

import contextlib
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from itpulse.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def needs_real_services():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip(
            "end-to-end tests need DATABASE_URL (PostgreSQL) and REDIS_URL: scripts/test.sh"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Collects every message the SMTP server accepts."""

    def __init__(self):
        self.messages = []
        self._cond = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self._cond:
            self.messages.append(message)
            self._cond.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 60):
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} e-mail(s), got {len(self.messages)}")
                self._cond.wait(left)
            return list(self.messages)


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


def worker_env(**overrides) -> dict:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = url.replace("@", f":{db['PASSWORD']}@", 1).replace("postgres://", "postgres://", 1)
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY=settings.SECRET_KEY)
    env.update(overrides)
    return env


@pytest.fixture
def start_worker():
    """Start Celery worker processes; each is stopped (and waited for) after the test."""
    processes = []

    def start(
        *,
        smtp_port: int,
        base_url: str,
        concurrency: int = 1,
        beat: bool = False,
        pool: str = "prefork",
        **env,
    ):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "itpulse",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                f"--pool={pool}",
                "--without-gossip",
                "--without-mingle",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                # The beat inside the worker (-B), as the embedded default runs it.
                *(["-B"] if beat else []),
            ],
            cwd=ROOT,
            env=worker_env(
                EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}", ITPULSE_BASE_URL=base_url, **env
            ),
            # Its own process group: a test can kill the worker with its pool and beat children.
            start_new_session=True,
        )
        processes.append(proc)
        return proc

    yield start
    stop_processes(processes)


def stop_processes(processes) -> None:
    """Stop (then, if need be, kill) each process group this test started, and wait for it."""
    for proc in processes:
        # Even when the leader has exited, children (pool, beat) may live on in its group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in processes:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def real_broker():
    """Let the web side (the live server in this process) queue tasks on Redis for real."""
    needs_real_services()
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True
