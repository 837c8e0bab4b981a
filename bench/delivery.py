"""Benchmark of survey delivery (issue 5): e-mails per second, and draining a large backlog.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itpulse_bench_i5 \\
    REDIS_URL=redis://127.0.0.1:6379/5 flock /work/bench.lock .venv/bin/python bench/delivery.py

Recreates the database in DATABASE_URL (it must be one of its own: the name has to contain
"bench"), migrates it, and starts an aiosmtpd sink (its own process: it accepts every message)
and two Celery worker processes (one with the embedded beat) sending to it over SMTP.

1. Throughput: `--tickets` tickets close through the connectors' batch service (500 per
   transaction, each batch nudging the dispatcher after commit, as the batch API does); timed
   from the first close to the moment the last invitation is recorded as accepted by the SMTP
   server ("sent" is written only after the server's 250).
2. Backlog: `--backlog` planned invitations are stored, then all made due in one UPDATE; timed
   until none is planned or sending. The resident memory of every worker process is sampled
   throughout: peak, and at 10% / 50% / 90% of the drain (flat means it does not grow with the
   backlog, as claims are bounded batches).

Ends with one JSON line of the figures.
"""

import argparse
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itpulse.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + secrets.token_urlsafe(16))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
QUEUE = "itpulse-bench-delivery"
os.environ["ITPULSE_QUEUE"] = QUEUE


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """Accept every message, as fast as aiosmtpd can; count them for the log line at exit."""

    accepted = 0

    async def handle_DATA(self, server, session, envelope):
        Sink.accepted += 1
        return "250 OK"


def run_sink(port: int) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()
    print(f"sink accepted {Sink.accepted}", file=sys.stderr)


def recreate_database() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = DATABASE_URL.replace(url.path, "/postgres", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def group_rss_mb(pids) -> dict[int, float]:
    """Resident memory of each process in the workers' process groups."""
    groups = set(pids)
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            pgrp = int(stat.rsplit(")", 1)[1].split()[2])
            if pgrp not in groups:
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    found[int(entry.name)] = int(line.split()[1]) / 1024
        except (OSError, IndexError, ValueError):
            continue
    return found


def start_workers(smtp_port: int, count: int) -> list[subprocess.Popen]:
    env = dict(
        os.environ,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        ITPULSE_BASE_URL="https://pulse.example.org",
        LOG_LEVEL="WARNING",
    )
    workers = []
    for n in range(count):
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "itpulse",
            "worker",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            "-Q",
            QUEUE,
            f"--hostname=bench{n}@%h",
        ]
        if n == 0:
            command.append("-B")
        workers.append(subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True))
    return workers


def wait_for(condition, timeout: float, what: str, every: float = 0.05, on_poll=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if on_poll:
            on_poll()
        if condition():
            return time.monotonic()
        time.sleep(every)
    raise SystemExit(f"bench: timed out waiting for {what}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        return run_sink(args.sink)
    if not DATABASE_URL.startswith("postgres") or "bench" not in urlparse(DATABASE_URL).path:
        sys.exit("bench: set DATABASE_URL to a PostgreSQL database of its own (name with 'bench')")
    if not os.environ.get("REDIS_URL"):
        sys.exit("bench: set REDIS_URL (the broker between the dispatcher's tasks)")

    log("recreating and migrating the bench database")
    recreate_database()
    import django

    django.setup()
    import redis
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from surveys.closing import tickets_close
    from surveys.models import Invitation, Requester, Team, Ticket
    from surveys.tickets import TicketIn

    call_command("migrate", verbosity=0)
    redis.Redis.from_url(settings.REDIS_URL).delete(QUEUE)
    team = Team.objects.create(name="Bench", slug="bench")

    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, __file__, "--sink", str(port)], cwd=ROOT, start_new_session=True
    )
    workers = start_workers(port, args.workers)
    pids = [w.pid for w in workers]
    peak = {"mb": 0.0}

    def sample():
        rss = group_rss_mb(pids)
        if rss:
            peak["mb"] = max(peak["mb"], max(rss.values()))
        return rss

    sent = Invitation.objects.filter(status=Invitation.Status.SENT)
    try:
        time.sleep(5)  # workers up and connected
        # 1. Throughput from "ticket closed" to "accepted by the SMTP server".
        log(f"closing {args.tickets} tickets")
        started = time.monotonic()
        now = timezone.now()
        for first in range(0, args.tickets, 500):
            items = [
                TicketIn(
                    source="bench",
                    external_id=f"T-{n}",
                    team=team,
                    requester_email=f"person{n}@example.org",
                    closed_at=now,
                )
                for n in range(first, min(first + 500, args.tickets))
            ]
            tickets_close(items=items)
        close_s = time.monotonic() - started
        done = wait_for(lambda: sent.count() >= args.tickets, 600, "the sends", 0.05, sample)
        emails_per_s = args.tickets / (done - started)
        log(f"{args.tickets} e-mails in {done - started:.1f} s: {emails_per_s:.0f}/s")
        rss_idle = max(sample().values())

        # 2. A backlog of due invitations.
        log(f"storing a backlog of {args.backlog} planned invitations")
        later = timezone.now() + timezone.timedelta(days=365)
        chunk = 5000
        for first in range(0, args.backlog, chunk):
            numbers = range(first, min(first + chunk, args.backlog))
            with transaction.atomic():
                requesters = Requester.objects.bulk_create(
                    Requester(email=f"backlog{n}@example.org") for n in numbers
                )
                tickets = Ticket.objects.bulk_create(
                    Ticket(
                        source="backlog",
                        external_id=f"B-{n}",
                        team=team,
                        requester=requester,
                        closed_at=now,
                    )
                    for n, requester in zip(numbers, requesters, strict=True)
                )
                Invitation.objects.bulk_create(
                    Invitation(ticket=t, requester=t.requester, team=team, send_after=later)
                    for t in tickets
                )
        pending = Invitation.objects.filter(
            status__in=[Invitation.Status.PLANNED, Invitation.Status.SENDING]
        )
        log("making the backlog due at once")
        started = time.monotonic()
        Invitation.objects.filter(status=Invitation.Status.PLANNED).update(
            send_after=timezone.now()
        )
        from delivery.tasks import nudge

        for _ in range(args.workers):
            nudge()
        marks, rss_at = {}, {}

        def progress():
            rss = sample()
            left = pending.count()
            drained = 1 - left / args.backlog
            for mark in (0.1, 0.5, 0.9):
                if drained >= mark and mark not in marks:
                    marks[mark] = time.monotonic() - started
                    rss_at[f"{int(mark * 100)}%"] = round(max(rss.values()), 1)
                    log(f"{int(mark * 100)}% drained after {marks[mark]:.0f} s")
            return left == 0

        done = wait_for(progress, 3600, "the backlog to drain", 0.5)
        drain_s = done - started
        log(f"backlog of {args.backlog} drained in {drain_s:.0f} s")
        failed = Invitation.objects.filter(status=Invitation.Status.FAILED).count()
    finally:
        for proc in [*workers, sink]:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in [*workers, sink]:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        redis.Redis.from_url(settings.REDIS_URL).delete(QUEUE)

    figures = {
        "emails_per_s": round(emails_per_s, 1),
        "tickets": args.tickets,
        "close_s": round(close_s, 1),
        "backlog": args.backlog,
        "drain_s": round(drain_s, 1),
        "backlog_emails_per_s": round(args.backlog / drain_s, 1),
        "worker_peak_rss_mb": round(peak["mb"], 1),
        "worker_rss_mb_before_backlog": round(rss_idle, 1),
        "worker_rss_mb_during_drain": rss_at,
        "failed": failed,
        "workers": args.workers,
        "batch": settings.ITPULSE_DISPATCH_BATCH,
        "cpus": os.cpu_count(),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
