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
3. Periodic survey (issue 15): a campaign of `--campaign` people (20,000) is launched through
   campaigns' own service and sent by the delivery engine; when a third has been sent, the
   worker without the beat is killed (SIGKILL, its whole process group) and a new one started,
   as a supervisor would. Timed from the launch until every invitation is recorded as sent. The
   sink counts what it accepted per recipient: duplicates and skipped people must both be 0.
   The workers reclaim a dead worker's rows after ITPULSE_SENDING_TIMEOUT=30 s (production:
   the task time limit plus a minute) and tick every 10 s (ITPULSE_DISPATCH_INTERVAL).

Any case runs alone with the others' sizes set to 0 (`--tickets 0 --backlog 0`).

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
from collections import Counter
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.workers import celery_workers  # noqa: E402  (after ROOT joins the path)

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
    """Accept every message, as fast as aiosmtpd can; count them for the log line at exit, and
    the periodic survey's per recipient (campaign…@ addresses), written to TALLY at exit."""

    accepted = 0
    campaign: ClassVar[Counter[str]] = Counter()

    async def handle_DATA(self, server, session, envelope):
        Sink.accepted += 1
        for address in envelope.rcpt_tos:
            if address.startswith("campaign"):
                Sink.campaign[address] += 1
        return "250 OK"


def run_sink(port: int, tally: str) -> None:
    from aiosmtpd.controller import Controller

    # Blocked before the server's thread starts (it inherits the mask), so that SIGTERM waits
    # for sigwait below instead of killing the sink before it writes its tally.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()
    print(f"sink accepted {Sink.accepted}", file=sys.stderr)
    Path(tally).write_text(json.dumps(dict(Sink.campaign)))


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


def start_workers(smtp_port: int, count: int, first: int = 0) -> list[subprocess.Popen]:
    return celery_workers(
        QUEUE,
        count,
        name="bench",
        first=first,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        ITPULSE_BASE_URL="https://pulse.example.org",
        # Case 3 kills a worker: its rows come back after 30 s, found by a tick every 10 s.
        ITPULSE_SENDING_TIMEOUT="30",
        ITPULSE_DISPATCH_INTERVAL="10",
    )


def wait_for(condition, timeout: float, what: str, every: float = 0.05, on_poll=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if on_poll:
            on_poll()
        if condition():
            return time.monotonic()
        time.sleep(every)
    raise SystemExit(f"bench: timed out waiting for {what}")


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def campaign_case(size: int, workers: list[subprocess.Popen], port: int, sample) -> dict:
    """Case 3: a periodic survey of `size` people, a worker killed when a third is sent."""
    from django.db import transaction
    from django.utils import timezone

    from campaigns.models import Campaign, CampaignInvitation
    from campaigns.services import campaign_launch
    from surveys.models import Requester, Team, Ticket

    team = Team.objects.get(slug="bench")
    now = timezone.now()
    log(f"storing {size} requesters with a recent ticket")
    for first in range(0, size, 5000):
        numbers = range(first, min(first + 5000, size))
        with transaction.atomic():
            requesters = Requester.objects.bulk_create(
                Requester(email=f"campaign{n}@example.org") for n in numbers
            )
            Ticket.objects.bulk_create(
                Ticket(
                    source="campaign", external_id=f"C-{n}", team=team, requester=r, closed_at=now
                )
                for n, r in zip(numbers, requesters, strict=True)
            )
    campaign = Campaign.objects.create(name="Bench yearly", sample_size=size)
    rows = CampaignInvitation.objects.filter(campaign=campaign)
    sent = rows.filter(status=CampaignInvitation.Status.SENT)
    log(f"launching the periodic survey to {size} people")
    started = time.monotonic()
    invited = campaign_launch(campaign=campaign)  # its nudge goes to the workers via Redis
    launch_s = time.monotonic() - started
    wait_for(lambda: sent.count() >= invited // 3, 1800, "a third sent", 0.05, sample)
    victim = workers[-1]  # the one without the beat
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    killed_at = time.monotonic() - started
    stranded = rows.filter(status=CampaignInvitation.Status.SENDING).count()
    log(f"killed a worker after {killed_at:.1f} s with {sent.count()} sent, {stranded} 'sending'")
    workers[-1:] = start_workers(port, 1, first=len(workers))
    unsent = rows.filter(
        status__in=[CampaignInvitation.Status.PLANNED, CampaignInvitation.Status.SENDING]
    )
    done = wait_for(lambda: not unsent.exists(), 3600, "the periodic survey", 0.5, sample)
    duration = done - started
    log(f"periodic survey of {invited} sent in {duration:.1f} s")
    return {
        "people": invited,
        "launch_s": round(launch_s, 1),
        "duration_s": round(duration, 1),
        "mails_per_s": round(invited / duration, 1),
        "killed_after_s": round(killed_at, 1),
        "sending_when_killed": stranded,
        "sent": sent.count(),
        "failed": rows.filter(status=CampaignInvitation.Status.FAILED).count(),
        "addresses": set(rows.values_list("requester__email", flat=True)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--backlog", type=int, default=100_000)
    parser.add_argument("--campaign", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--tally", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        return run_sink(args.sink, args.tally)
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
    tally = Path(f"/tmp/bench-delivery-tally-{os.getpid()}.json")  # noqa: S108
    sink = subprocess.Popen(
        [sys.executable, __file__, "--sink", str(port), "--tally", str(tally)],
        cwd=ROOT,
        start_new_session=True,
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
        emails_per_s = close_s = drain_s = rss_idle = None
        failed = 0
        rss_at: dict = {}
        if args.tickets:
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
        if args.backlog:
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
        campaign = None
        if args.campaign:
            campaign = campaign_case(args.campaign, workers, port, sample)
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

    if campaign is not None:
        received = Counter(json.loads(tally.read_text()))
        tally.unlink()
        campaign["duplicates"] = sum(count - 1 for count in received.values() if count > 1)
        campaign["skipped"] = len(campaign.pop("addresses") - set(received))
        log(f"periodic survey: {json.dumps(campaign)}")
    figures = {
        "emails_per_s": _round(emails_per_s),
        "tickets": args.tickets,
        "close_s": _round(close_s),
        "backlog": args.backlog,
        "drain_s": _round(drain_s),
        "backlog_emails_per_s": _round(args.backlog / drain_s if drain_s else None),
        "campaign": campaign,
        "worker_peak_rss_mb": round(peak["mb"], 1),
        "worker_rss_mb_before_backlog": _round(rss_idle),
        "worker_rss_mb_during_drain": rss_at,
        "failed": failed,
        "workers": args.workers,
        "batch": settings.ITPULSE_DISPATCH_BATCH,
        "cpus": os.cpu_count(),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
