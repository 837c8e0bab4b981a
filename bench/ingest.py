"""Benchmark of ticket ingest through the API (issue 4): single calls, webhooks and batches.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itpulse_bench_i4 \\
    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/ingest.py

Empties the ticket tables of the database in DATABASE_URL (it must be one of its own: the name
has to contain "bench"), migrates it, then starts gunicorn with the deployed settings
(itpulse/gunicorn.py; --workers and --threads override them) against it and Redis, and
drives it from this process with `--concurrency` keep-alive HTTP/1.1 connections (asyncio, no
third-party client): first POST /api/v1/tickets/closed with one new ticket per
call, then the same through a signed webhook, then POST /api/v1/tickets/closed/batch with
1,000 tickets per call; last, outgoing webhooks (bench/outgoing.py): answers given while real
Celery workers deliver them, signed, to a local receiver that verifies each signature, with
answers per second delivered and the lag from answer to delivery (p50, p99), then how fast
as large a backlog drains once the workers start. `--webhooks-only`
runs that part alone, `--no-outgoing` leaves it out. The same gunicorn also serves the floor
(bench/floor.py: one row by primary key, the least a database-backed call does), driven like
the single calls in the same run, and the statements of one single call are counted in this
process (CaptureQueriesContext). Requesters come from a pool, so most calls meet a known
requester, as in real life; the delivery rules' defaults apply (a requester surveyed in the
last 14 days is throttled). No Celery worker runs: the dispatcher nudges queue up in Redis and
are removed at the end (sending e-mail is not part of ingest). Prints a table of the figures
with issue 18's targets beside them (stderr) and ends with one JSON line of the figures
(stdout), with `targets` and `load_avg_1_5_15`.
"""

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import secrets
import signal
import socket
import statistics
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
if not DATABASE_URL.startswith("postgres") or "bench" not in urlparse(DATABASE_URL).path:
    sys.exit("bench: set DATABASE_URL to a PostgreSQL database of its own (name with 'bench')")
if not os.environ.get("REDIS_URL"):
    sys.exit("bench: set REDIS_URL (the API queues its dispatcher nudges there)")
QUEUE = "itpulse-bench-ingest"
os.environ["ITPULSE_QUEUE"] = QUEUE
# A benchmark measures the app, not the per-token rate limit (ITPULSE_API_RATE).
os.environ["ITPULSE_API_RATE"] = "100000000/minute"
# The webhooks' receiver listens on loopback, which outgoing calls refuse by default.
os.environ["ITPULSE_OUTGOING_ALLOW_PRIVATE"] = "true"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ensure_database() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = DATABASE_URL.replace(url.path, "/postgres", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare() -> tuple[str, str, str]:
    """Migrate, empty the ticket tables, make a team, an API token and a webhook connector."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from integrations.services import connector_create
    from surveys.api_tokens import api_token_create
    from surveys.models import ApiToken, Team

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE surveys_ticket, surveys_invitation, surveys_requester, surveys_agent, "
            "integrations_delivery, integrations_connector CASCADE"
        )
    Team.objects.get_or_create(slug="workplace", defaults={"name": "Workplace"})
    ApiToken.objects.filter(name="bench").delete()
    _token, raw = api_token_create(name="bench")
    connector = connector_create(name="Bench", slug="bench", kind="generic")
    connection.close()
    return raw, connector.secret, "workplace"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    """The app under gunicorn with its deployed settings (itpulse/gunicorn.py), no access log,
    and the floor's URL beside its own (bench/floor.py)."""
    env = {**os.environ, "CONN_MAX_AGE": "600", "LOG_LEVEL": "WARNING", "DEBUG": "false"}
    env["GUNICORN_ACCESS_LOG"] = ""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        "python:itpulse.gunicorn",
        "bench.floor",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("bench: gunicorn did not start")


class Connection:
    """One keep-alive HTTP/1.1 connection; reopened when the server closes it."""

    def __init__(self, port: int):
        self.port, self.reader, self.writer = port, None, None

    async def post(self, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        head = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        head += [f"{key}: {value}" for key, value in headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        length, close = 0, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _sep, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection" and value.strip().lower() == "close":
                close = True
        content = await self.reader.readexactly(length)
        if close:
            self.writer.close()
            self.writer = None
        return status, content


class Tickets:
    """Unique tickets; requesters from a pool so that most are known, as in real life."""

    def __init__(self, prefix: str, requesters: int = 5000, agents: int = 60):
        self.prefix, self.n, self.requesters, self.agents = prefix, 0, requesters, agents

    def next(self) -> dict:
        self.n += 1
        n = self.n
        person = (n * 7919) % self.requesters
        return {
            "source": "bench",
            "external_id": f"{self.prefix}-{n}",
            "subject": "Printer on floor 3",
            "team": "workplace",
            "agent": {"email": f"agent{n % self.agents}@example.org", "name": "Agent"},
            "requester": {
                "email": f"person{person}@example.org",
                "name": f"Person {person}",
                # A person's language is theirs: it changes from one ticket to the next only if
                # the helpdesk changed it (and then ITPulse updates the requester).
                "language": "nl" if person % 3 else "en",
            },
            "closed_at": "2026-11-25T09:00:00Z",
        }


def web_cpu_seconds(server: subprocess.Popen) -> float:
    """CPU time (user and system) of gunicorn's worker processes so far, from /proc: unlike
    calls per second, a cost per call that the neighbours on a shared machine barely move."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == server.pid:  # ppid; then utime and stime are fields 14 and 15
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def drive(port, seconds, concurrency, make) -> dict:
    """`concurrency` connections posting back to back for `seconds`; latencies and statuses."""
    latencies, statuses, items = [], {}, [0]
    deadline = time.perf_counter() + seconds

    async def client():
        connection = Connection(port)
        while time.perf_counter() < deadline:
            path, body, headers, count = make()
            started = time.perf_counter()
            status, _content = await connection.post(path, body, headers)
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if status in (200, 201, 202):
                items[0] += count

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return {"latencies": latencies, "items": items[0], "elapsed": elapsed, "statuses": statuses}


def rounds(server, port: int, cases: dict, *, count: int, seconds: float, concurrency: int):
    """Each case driven for seconds / count, the cases taking turns for `count` rounds, so that
    a change in the neighbours' load falls on all of them alike; one summary per case."""
    runs: dict[str, list] = {name: [] for name in cases}
    for number in range(count):
        for name, make in cases.items():
            cpu = web_cpu_seconds(server)
            run = asyncio.run(drive(port, seconds / count, concurrency, make))
            run["cpu"] = web_cpu_seconds(server) - cpu
            runs[name].append(run)
            log(f"round {number + 1}, {name}: {len(run['latencies']) / run['elapsed']:.1f} calls/s")
    return {name: summary(parts) for name, parts in runs.items()}


def summary(parts: list[dict]) -> dict:
    latencies = [ms for part in parts for ms in part["latencies"]]
    elapsed = sum(part["elapsed"] for part in parts)
    items = sum(part["items"] for part in parts)
    statuses: dict = {}
    for part in parts:
        for status, n in part["statuses"].items():
            statuses[status] = statuses.get(status, 0) + n
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    cpu = sum(part["cpu"] for part in parts)
    return {
        "calls": len(latencies),
        "items": items,
        "seconds": round(elapsed, 2),
        "per_s": round(len(latencies) / elapsed, 1),
        "items_per_s": round(items / elapsed, 1),
        "p50_ms": round(cuts[49], 1),
        "p99_ms": round(cuts[98], 1),
        "web_cpu_ms_per_item": round(cpu * 1000 / max(items, 1), 2),
        "statuses": statuses,
    }


# Issue 18, point 4: (figure, comparison, target).
TARGETS = {
    "single_rps": (">=", 600),
    "single_p99_ms": ("<", 100),
    "batch_tickets_per_s": (">=", 10_000),
    "hook_vs_single": (">=", 0.8),
}


def statements_per_call(token: str, secret: str) -> dict:
    """Statements one call runs (BEGIN and COMMIT included), counted in this process through the
    same views: a new ticket of a known requester, as most are, then a repeat of it."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    people = Tickets("Q", requesters=1)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    path = "/api/v1/tickets/closed"
    client.post(path, people.next(), content_type="application/json", **bearer)  # the person
    counts = {}
    ticket = people.next()
    for name in ("single_new", "single_repeat"):
        with CaptureQueriesContext(connection) as queries:
            client.post(path, ticket, content_type="application/json", **bearer)
        counts[name] = len(queries.captured_queries)
    body = json.dumps({"event": "closed", **people.next()}).encode()
    stamp = str(int(time.time()))
    mac = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    with CaptureQueriesContext(connection) as queries:
        client.post(
            "/api/v1/hooks/bench",
            body,
            content_type="application/json",
            HTTP_X_ITPULSE_SIGNATURE=f"t={stamp},v1={mac}",
        )
    counts["hook_new"] = len(queries.captured_queries)
    connection.close()
    return counts


def verdict(value: float, rule: tuple[str, float]) -> str:
    comparison, target = rule
    met = value >= target if comparison == ">=" else value < target
    return "met" if met else "NOT met"


def table(figures: dict) -> str:
    """The figures with the targets beside them, for a person (stderr)."""
    rows = [
        ("floor: one row by pk, calls/s", figures["floor_rps"], None),
        ("single calls/s", figures["single_rps"], "single_rps"),
        ("single p99 ms", figures["single_p99_ms"], "single_p99_ms"),
        ("single ÷ floor", figures["single_vs_floor"], None),
        ("webhook calls/s", figures["hook_rps"], None),
        ("webhook ÷ single", figures["hook_vs_single"], "hook_vs_single"),
        ("batch tickets/s", figures["batch_tickets_per_s"], "batch_tickets_per_s"),
        ("web CPU ms per call: floor", figures["floor_web_cpu_ms"], None),
        ("web CPU ms per call: single", figures["single_web_cpu_ms"], None),
        ("web CPU ms per call: webhook", figures["hook_web_cpu_ms"], None),
        ("web CPU ms per ticket: batch", figures["batch_web_cpu_ms_per_ticket"], None),
    ]
    lines = [f"{'ingest':34} {'figure':>10}  target"]
    for label, value, key in rows:
        target = ""
        if key:
            comparison, goal = TARGETS[key]
            target = f"{comparison} {goal:,}  {verdict(value, TARGETS[key])}"
        lines.append(f"{label:34} {value:>10,}  {target}")
    statements = figures["statements_per_call"]
    lines.append(
        f"statements per call: new ticket {statements['single_new']}, repeat "
        f"{statements['single_repeat']}, webhook {statements['hook_new']}"
    )
    lines.append(f"load average (1, 5, 15 min): {figures['load_avg_1_5_15']}")
    return "\n".join(lines)


def webhooks(args: argparse.Namespace, team: str) -> dict:
    import redis

    from bench import outgoing

    log(f"outgoing webhooks: {args.webhook_answers} answers, then a backlog as large …")
    try:
        figures = outgoing.run(
            queue=QUEUE,
            team=team,
            answers=args.webhook_answers,
            threads=args.answer_threads,
            workers=args.webhook_workers,
        )
        figures["backlog"] = outgoing.run(
            queue=QUEUE,
            team=team,
            answers=args.webhook_answers,
            threads=args.answer_threads,
            workers=args.webhook_workers,
            backlog=True,
        )
    finally:
        redis.Redis.from_url(os.environ["REDIS_URL"]).delete(QUEUE)
    log(f"webhooks: {figures}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, help="default: itpulse/gunicorn.py's")
    parser.add_argument("--threads", type=int, help="default: itpulse/gunicorn.py's")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20, help="per kind of call, all rounds")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-concurrency", type=int, default=4)
    parser.add_argument("--batch-seconds", type=float, default=20)
    parser.add_argument("--webhook-answers", type=int, default=2000)
    parser.add_argument("--webhook-workers", type=int, default=2)
    parser.add_argument("--answer-threads", type=int, default=4)
    parser.add_argument("--webhooks-only", action="store_true")
    parser.add_argument("--no-outgoing", action="store_true", help="leave out outgoing webhooks")
    args = parser.parse_args()

    ensure_database()
    token, secret, team = prepare()
    statements = statements_per_call(token, secret)
    log(f"statements per call: {statements}")
    if args.webhooks_only:
        print(json.dumps({"webhooks": webhooks(args, team)}))
        return
    port = free_port()
    if args.workers:
        os.environ["WEB_CONCURRENCY"] = str(args.workers)
    if args.threads:
        os.environ["GUNICORN_THREADS"] = str(args.threads)
    from itpulse import gunicorn as deployed  # reads the two variables above

    log(f"gunicorn: {deployed.workers} workers × {deployed.threads} threads on :{port}")
    server = start_gunicorn(port)
    bearer = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    try:
        single = Tickets("S")

        def one():
            return "/api/v1/tickets/closed", json.dumps(single.next()).encode(), bearer, 1

        hooked = Tickets("H")

        def hook():
            body = json.dumps({"event": "closed", **hooked.next()}).encode()
            stamp = str(int(time.time()))
            mac = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256)
            headers = {
                "X-ITPulse-Signature": f"t={stamp},v1={mac.hexdigest()}",
                "Content-Type": "application/json",
            }
            return "/api/v1/hooks/bench", body, headers, 1

        batched = Tickets("B", requesters=50_000)

        def batch():
            body = json.dumps({"tickets": [batched.next() for _ in range(1000)]}).encode()
            return "/api/v1/tickets/closed/batch", body, bearer, 1000

        warm = Tickets("W")

        def warming():
            return "/api/v1/tickets/closed", json.dumps(warm.next()).encode(), bearer, 1

        asyncio.run(drive(port, 3, 8, warming))
        log(f"floor, single and webhook calls, {args.rounds} rounds in turn …")
        calls = rounds(
            server,
            port,
            {"floor": lambda: ("/bench/floor", b"{}", {}, 1), "single": one, "hook": hook},
            count=args.rounds,
            seconds=args.seconds,
            concurrency=args.concurrency,
        )
        floor_figures, single_figures, hook_figures = calls["floor"], calls["single"], calls["hook"]
        log(f"floor: {floor_figures}")
        log(f"single: {single_figures}")
        log(f"webhook: {hook_figures}")
        log("batches of 1,000 …")
        batch_figures = rounds(
            server,
            port,
            {"batch": batch},
            count=1,
            seconds=args.batch_seconds,
            concurrency=args.batch_concurrency,
        )["batch"]
        log(f"batch: {batch_figures}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"]).delete(QUEUE)
    webhook_figures = {} if args.no_outgoing else webhooks(args, team)
    load = os.getloadavg()
    figures = {
        "floor_rps": floor_figures["per_s"],
        "floor_p99_ms": floor_figures["p99_ms"],
        "floor_web_cpu_ms": floor_figures["web_cpu_ms_per_item"],
        "single_web_cpu_ms": single_figures["web_cpu_ms_per_item"],
        "hook_web_cpu_ms": hook_figures["web_cpu_ms_per_item"],
        "batch_web_cpu_ms_per_ticket": batch_figures["web_cpu_ms_per_item"],
        "single_rps": single_figures["per_s"],
        "single_p50_ms": single_figures["p50_ms"],
        "single_p99_ms": single_figures["p99_ms"],
        "single_statuses": single_figures["statuses"],
        "single_vs_floor": round(single_figures["per_s"] / floor_figures["per_s"], 2),
        "hook_rps": hook_figures["per_s"],
        "hook_p99_ms": hook_figures["p99_ms"],
        "hook_statuses": hook_figures["statuses"],
        "hook_vs_single": round(hook_figures["per_s"] / single_figures["per_s"], 2),
        "batch_tickets_per_s": batch_figures["items_per_s"],
        "batch_p99_ms": batch_figures["p99_ms"],
        "batch_statuses": batch_figures["statuses"],
        "statements_per_call": statements,
        "webhooks": webhook_figures,
        "targets": {key: f"{comparison} {goal}" for key, (comparison, goal) in TARGETS.items()},
        "concurrency": args.concurrency,
        "gunicorn": f"{deployed.workers}x{deployed.threads} {deployed.worker_class}",
        "cpus": os.cpu_count(),
        "load_avg_1_5_15": [round(x, 2) for x in load],
    }
    print(table(figures), file=sys.stderr, flush=True)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
