"""Benchmark of the answer path (issue 18): survey links answered by POST, beside a floor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itpulse_bench_answer \\
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/answer.py

Empties the survey tables of the database in DATABASE_URL (its name must contain "bench"),
makes `--links` survey links of one named team (ten agents; every link a requester of its own),
starts gunicorn with the deployed settings (itpulse/gunicorn.py, `--workers` 5) and the bench's
URL conf (bench/settings.py: the site plus a one-row floor view), and drives it with wrk
(Debian's `wrk`, bench/wrk/pages.lua) at `--connections` 16. Each of `--rounds` rounds runs,
`--seconds` each and one after the other: the floor view (one invitation read by primary key
through the whole middleware stack), the answer (POST /s/<token>/ with a score and a comment and
the page's CSRF cookie and field, as its form sends them; the links cycle, so after the first
pass each POST changes an answer), the survey page (GET) and the thank-you page. The answer's
rate is also given as a share of the floor's in the same round, which holds on a busy machine.

Before the race it counts the SQL statements of a first and of a changed answer (Django's test
client, in this process). No Celery worker runs during the race: the tasks the answers queue
(follow-up cases, alerts, keyword tags, webhooks and write-backs) wait in Redis, and one worker
started afterwards drains them, timed. Then it checks that every invitation has at most one
answer and that the rollups equal a recount. Ends with one JSON line of the figures.
"""

import argparse
import contextlib
import http.client
import io
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itpulse.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + secrets.token_urlsafe(16))
# gunicorn's address and the in-process test client's.
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
QUEUE = "itpulse-bench-answer"
os.environ["ITPULSE_QUEUE"] = QUEUE
DATABASE_URL = os.environ.get("DATABASE_URL", "")
LUA = ROOT / "bench" / "wrk" / "pages.lua"
KINDS = ("floor", "answer", "survey", "thanks")
# Links answered before the race, whose thank-you page is measured; two more for counting
# the statements of one answer.
THANKED = 100


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def check_environment() -> None:
    if not DATABASE_URL.startswith("postgres") or "bench" not in urlparse(DATABASE_URL).path:
        sys.exit("bench: set DATABASE_URL to a PostgreSQL database of its own (name with 'bench')")
    if not os.environ.get("REDIS_URL"):
        sys.exit("bench: set REDIS_URL (the answers queue their tasks there)")
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        sys.exit("bench: needs wrk (apt-get install wrk)")


def ensure_database() -> None:
    import psycopg

    url = urlparse(DATABASE_URL)
    name = url.path.lstrip("/")
    admin = DATABASE_URL.replace(url.path, "/postgres", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare(links: int) -> list[tuple[int, str]]:
    """Migrate, empty the survey tables, make one team's `links` sent invitations: (id, token).
    The last THANKED of them are answered here, for the thank-you page."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from surveys.models import Agent, Invitation, Requester, Team, Ticket
    from surveys.services import response_submit

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE surveys_ticket, surveys_invitation, surveys_response, surveys_requester,"
            " surveys_agent, scoring_teamdailyscore, scoring_dailyscore CASCADE"
        )
    now = timezone.now()
    team, _created = Team.objects.get_or_create(slug="bench-answer", defaults={"name": "Answers"})
    agents = Agent.objects.bulk_create(
        Agent(team=team, email=f"agent{n}@example.org", name=f"Agent {n}") for n in range(10)
    )
    requesters = Requester.objects.bulk_create(
        Requester(email=f"person{n}@example.org", name=f"Person {n}", language="en")
        for n in range(links)
    )
    tickets = Ticket.objects.bulk_create(
        Ticket(
            source="bench",
            external_id=f"A-{n}",
            team=team,
            agent=agents[n % len(agents)],
            requester=requester,
            closed_at=now,
        )
        for n, requester in enumerate(requesters)
    )
    invitations, tokens = [], []
    for ticket in tickets:
        invitation = Invitation(
            ticket=ticket,
            requester=ticket.requester,
            team=team,
            agent=ticket.agent,
            status=Invitation.Status.SENT,
            send_after=now,
            sent_at=now,
        )
        tokens.append(invitation.new_token(now))
        invitations.append(invitation)
    Invitation.objects.bulk_create(invitations)
    call_command("rebuild_rollups", stdout=io.StringIO())
    for invitation, token in zip(invitations[-THANKED:], tokens[-THANKED:], strict=True):
        response_submit(invitation=invitation, score=8, comment="Fine.", token=token)
    connection.close()
    return [(invitation.pk, token) for invitation, token in zip(invitations, tokens, strict=True)]


def queries_per_answer(first: str, other: str) -> dict:
    """SQL statements of a first and a changed answer, and of the pages, through the whole
    stack (Django's test client in this process; BEGIN and COMMIT count as statements)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def count(method: str, path: str, data: dict | None = None, status: int = 302) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = getattr(client, method)(path, data) if data else client.get(path)
        assert response.status_code == status, (path, response.status_code)
        return len(queries.captured_queries)

    answer = {"score": "3", "comment": "Took three days before anyone answered."}
    count("post", f"/s/{other}/", answer)  # the first in the process: warms what loads once
    figures = {
        "first_answer": count("post", f"/s/{first}/", answer),
        "changed_answer": count("post", f"/s/{first}/", {**answer, "score": "9"}),
        "survey_get": count("get", f"/s/{first}/", status=200),
        "thanks_get": count("get", f"/s/{first}/thanks/", status=200),
    }
    connection.close()
    return figures


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "CONN_MAX_AGE": "600", "LOG_LEVEL": "WARNING", "DEBUG": "false"}
    env.update(DJANGO_SETTINGS_MODULE="bench.settings", GUNICORN_ACCESS_LOG="")
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        *("-c", "python:itpulse.gunicorn", "itpulse.wsgi"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning"),
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    sys.exit("bench: gunicorn did not start")


def stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def page_csrf(port: int, token: str) -> tuple[str, str]:
    """The CSRF cookie and form field the survey page gives a browser (GET /s/<token>/)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", f"/s/{token}/")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    field = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if response.status != 200 or not cookie or not field:
        sys.exit(f"bench: the survey page gave no CSRF cookie and field ({response.status})")
    return cookie.group(1), field.group(1)


def wrk(port: int, kind: str, links: Path, seconds: float, connections: int, csrf) -> dict:
    threads = min(2, connections)
    command = [
        *(
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
        ),
        *("-s", str(LUA), f"http://127.0.0.1:{port}", "--", kind, str(links), str(threads)),
        *csrf,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in out.splitlines() if line.startswith("WRK "))
    figures = json.loads(line[4:])
    figures["per_s"] = round(figures["ok"] / figures["seconds"], 1)
    if figures["bad"] or figures["socket_errors"]:
        log(f"{kind}: {figures['bad']} unexpected statuses, {figures['socket_errors']} errors")
    return figures


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def race(port: int, files: dict[str, Path], links: Path, args: argparse.Namespace, csrf) -> dict:
    """Interleaved rounds; per kind the rate and p99 of each round, and the answer's share of
    the floor in the same round."""
    rounds: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    loads = [load_average()]
    for n in range(args.rounds):
        for kind in KINDS:
            paths = files.get(kind, links)
            rounds[kind].append(wrk(port, kind, paths, args.seconds, args.connections, csrf))
            log(
                f"round {n + 1} {kind}: {rounds[kind][-1]['per_s']}/s p99 "
                f"{rounds[kind][-1]['p99_ms']} ms (load {load_average()})"
            )
        loads.append(load_average())
    figures: dict = {"load_average": loads}
    for kind, runs in rounds.items():
        rates = [run["per_s"] for run in runs]
        figures[kind] = {
            "per_s": statistics.median(rates),
            "per_s_range": [min(rates), max(rates)],
            "p99_ms": statistics.median(run["p99_ms"] for run in runs),
            "p50_ms": statistics.median(run["p50_ms"] for run in runs),
            "unexpected": sum(run["bad"] + run["socket_errors"] for run in runs),
            "rounds": runs,
        }
    shares = [
        a["per_s"] / f["per_s"] for a, f in zip(rounds["answer"], rounds["floor"], strict=True)
    ]
    figures["answer_share_of_floor"] = round(statistics.median(shares), 2)
    return figures


def drain() -> dict:
    """Start one Celery worker and time how long it takes to run what the answers queued."""
    import redis

    from bench.workers import celery_workers

    broker = redis.Redis.from_url(os.environ["REDIS_URL"])
    queued = broker.llen(QUEUE)
    started = time.monotonic()
    workers = celery_workers(QUEUE, 1, name="answer", DJANGO_SETTINGS_MODULE="itpulse.settings")
    try:
        while broker.llen(QUEUE) and time.monotonic() - started < 600:
            time.sleep(0.2)
        seconds = time.monotonic() - started
    finally:
        for worker in workers:
            stop(worker)
        broker.delete(QUEUE)
    per_s = round(queued / seconds, 1) if queued else None
    return {"tasks": queued, "seconds": round(seconds, 1), "per_s": per_s}


def verify() -> dict:
    from django.db import connection
    from django.db.models import Count

    from scoring.rollups import differences
    from surveys.models import Response

    doubles = (
        Response.objects.values("invitation_id")
        .annotate(n=Count("id"))
        .filter(invitation_id__isnull=False, n__gt=1)
        .count()
    )
    result = {
        "responses": Response.objects.count(),
        "invitations_with_two_answers": doubles,
        "rollup_differences": len(differences()),
    }
    connection.close()
    return result


def run(args: argparse.Namespace) -> dict:
    check_environment()
    ensure_database()
    log(f"making {args.links} survey links")
    made = prepare(args.links + 2 + THANKED)
    raced, extra, thanked = made[: args.links], made[args.links : -THANKED], made[-THANKED:]
    queries = queries_per_answer(extra[0][1], extra[1][1])
    log(f"SQL statements: {queries}")
    links = Path(tempfile.mkstemp(prefix="bench-answer-", suffix=".txt")[1])
    links.write_text("".join(f"{pk} {token}\n" for pk, token in raced))
    thanks = links.with_suffix(".thanks.txt")
    thanks.write_text("".join(f"{pk} {token}\n" for pk, token in thanked))
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        csrf = page_csrf(port, raced[0][1])
        wrk(port, "floor", links, 2, args.connections, csrf)  # warm every worker
        figures = race(port, {"thanks": thanks}, links, args, csrf)
    finally:
        stop(server)
        links.unlink()
        thanks.unlink()
    figures["queries"] = queries
    log("draining the queued tasks with one worker")
    figures["tasks"] = drain()
    figures["checks"] = verify()
    figures.update(
        links=args.links,
        workers=args.workers,
        connections=args.connections,
        seconds=args.seconds,
        cpus=os.cpu_count(),
    )
    return figures


def arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--links", type=int, default=300)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn processes")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    return parser


def main() -> None:
    args = arguments(argparse.ArgumentParser(description=__doc__.splitlines()[0])).parse_args()
    print(json.dumps(run(args)))


if __name__ == "__main__":
    main()
