"""Each hand-written query of the app against its ORM equivalent (issue 15, point 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itpulse_bench_sql \\
        .venv/bin/python bench/sql_vs_orm.py
    env -u DATABASE_URL .venv/bin/python bench/sql_vs_orm.py     # SQLite in a temporary directory

On PostgreSQL the database must be one of its own (its name contains "bench"): the script
empties its ticket tables. It fills them as a year of a mid-sized service desk would (20,000
requesters, tickets and invitations, 60 agents, 500 suppressed addresses, five teams with
rules), then runs every query at the sizes the app runs it: one ticket closed (the API call
and the webhook) and a batch of 1,000 (the batch API, the CSV import). For each it prints the
CPU time of this process per call (time.process_time_ns around the call alone, the median of
many calls: the machine is shared, wall time would measure the neighbours) and the number of
SQL statements, for the hand-written version and the ORM's. Writes run in a transaction that
is rolled back after each call, so every call meets the same data. Ends with one JSON line.
"""

import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itpulse.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + secrets.token_urlsafe(16))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    if not DATABASE_URL.startswith("postgres") or "bench" not in urlparse(DATABASE_URL).path:
        sys.exit("bench: DATABASE_URL must be a PostgreSQL database of its own (with 'bench')")
else:
    # The embedded default, in a directory of its own rather than the demo's var/.
    os.environ["ITPULSE_VAR_DIR"] = tempfile.mkdtemp(prefix="itpulse-bench-sql-")
os.environ["CONN_MAX_AGE"] = "600"
os.environ["DEBUG"] = "false"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402

from delivery import dispatch  # noqa: E402
from delivery.models import DeliveryRule, SuppressedAddress, address_hash  # noqa: E402
from surveys import closing, sql  # noqa: E402
from surveys.api_tokens import api_token_create, hash_token  # noqa: E402
from surveys.models import Agent, ApiToken, Invitation, Requester, Team, Ticket  # noqa: E402
from surveys.tickets import TicketIn  # noqa: E402

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
PEOPLE, AGENTS, TEAMS = 20_000, 60, 5
Status = Invitation.Status


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def fill() -> dict:
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE surveys_ticket, surveys_invitation, surveys_requester, surveys_agent, "
                "delivery_deliveryrule, delivery_suppressedaddress, surveys_apitoken, "
                "scoring_teamdailyscore CASCADE"
            )
    teams = [
        Team.objects.get_or_create(slug=f"team{i}", defaults={"name": f"Team {i}"})[0]
        for i in range(TEAMS)
    ]
    DeliveryRule.objects.create(team=None, throttle_days=14)
    DeliveryRule.objects.create(team=teams[0], throttle_days=30, sample_percent=50)
    people = Requester.objects.bulk_create(
        Requester(email=f"person{n}@example.org", name=f"Person {n}") for n in range(PEOPLE)
    )
    agents = Agent.objects.bulk_create(
        Agent(email=f"agent{n}@example.org", name=f"Agent {n}", team=teams[n % TEAMS])
        for n in range(AGENTS)
    )
    tickets = Ticket.objects.bulk_create(
        Ticket(
            source="bench",
            external_id=f"old-{n}",
            subject="Printer",
            team=teams[n % TEAMS],
            agent=agents[n % AGENTS],
            requester=people[n],
            closed_at=NOW - timedelta(days=n % 365),
        )
        for n in range(PEOPLE)
    )
    Invitation.objects.bulk_create(
        Invitation(
            ticket=t,
            requester=t.requester,
            team=t.team,
            agent=t.agent,
            send_after=t.closed_at,
            sent_at=t.closed_at,
            status=Status.SENT,
        )
        for t in tickets
    )
    SuppressedAddress.objects.bulk_create(
        SuppressedAddress(email=f"person{n}@example.org", reason="bounced", created_at=NOW)
        for n in range(0, PEOPLE, PEOPLE // 500)
    )
    _token, raw = api_token_create(name="bench")
    return {"teams": teams, "people": people, "agents": agents, "raw": raw}


class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql_text, params, many, context):
        self.n += 1
        return execute(sql_text, params, many, context)


def measure(call, *, calls: int, write: bool) -> tuple[float, int]:
    """Median CPU µs of `call` and the statements it issues (the transaction's own aside)."""
    times = []

    def once():
        started = time.process_time_ns()
        call()
        return time.process_time_ns() - started

    for i in range(calls + 3):  # the first calls warm caches up: not counted
        if write:
            with transaction.atomic():
                elapsed = once()
                transaction.set_rollback(True)
        else:
            elapsed = once()
        if i >= 3:
            times.append(elapsed)
    counter = Counter()
    with transaction.atomic(), connection.execute_wrapper(counter):
        call()
        transaction.set_rollback(True)
    return statistics.median(times) / 1000, counter.n


# --- The queries, each as written in the app (sql) and as the ORM would write it (orm).


def cases(data: dict) -> list[tuple[str, str, int, object, object, bool]]:
    """(name, caller, calls, sql version, orm version, writes)."""
    teams, people, agents = data["teams"], data["people"], data["agents"]
    token_hash = hash_token(data["raw"])
    one_mail, batch_mails = [people[7].email], [p.email for p in people[:1000:1]]
    one_id, batch_ids = [people[7].pk], [p.pk for p in people[:1000]]
    agent_mails = [a.email for a in agents]
    since = NOW - timedelta(days=30)
    as_stored = connection.ops.adapt_datetimefield_value(since)
    out = []

    def add(name, caller, calls, sql_version, orm_version, write=False):
        out.append((name, caller, calls, sql_version, orm_version, write))

    add(
        "token by hash",
        "surveys.api_tokens.api_token_check (every API call)",
        300,
        lambda: sql.select(ApiToken, "token_hash = %s", [token_hash]),
        lambda: list(ApiToken.objects.filter(token_hash=token_hash)),
    )
    add(
        "team by slug",
        "api.tickets.teams_for (POST /api/v1/tickets/closed)",
        300,
        lambda: sql.select(Team, "slug = %s", ["team3"]),
        lambda: list(Team.objects.filter(slug="team3")),
    )
    for size, ids in ((1, [teams[1].pk]), (TEAMS, [t.pk for t in teams])):
        add(
            f"rules of {size} team(s)",
            "delivery.rules._rules (every close)",
            300,
            lambda ids=ids: sql.select(
                DeliveryRule, "{} OR team_id IS NULL".format(*sql.is_in("team_id", ids)[:1]), ids
            ),
            lambda ids=ids: list(
                DeliveryRule.objects.filter(Q(team_id__in=ids) | Q(team__isnull=True))
            ),
        )
    for size, emails in ((1, one_mail), (1000, batch_mails)):
        hashes = [address_hash(e) for e in emails]
        calls = 300 if size == 1 else 30

        def suppressed_sql(emails=emails, hashes=hashes):
            a, pa = sql.is_in("email", emails)
            b, pb = sql.is_in("email_hash", hashes)
            return sql.select(SuppressedAddress, f"{a} OR {b}", [*pa, *pb])

        add(
            f"suppressed, {size} address(es)",
            "delivery.rules.Planner.prepare",
            calls,
            suppressed_sql,
            lambda emails=emails, hashes=hashes: list(
                SuppressedAddress.objects.filter(Q(email__in=emails) | Q(email_hash__in=hashes))
            ),
        )
    for size, ids in ((1, one_id), (1000, batch_ids)):
        calls = 300 if size == 1 else 30

        def recent_sql(ids=ids):
            where, params = sql.is_in("requester_id", ids)
            return sql.select(
                Invitation,
                f"{where} AND (sent_at > %s OR status IN (%s, %s))",
                [*params, as_stored, Status.PLANNED, Status.SENDING],
                only=("requester", "sent_at"),
            )

        add(
            f"recent surveys, {size} requester(s)",
            "delivery.rules.Planner.prepare",
            calls,
            recent_sql,
            lambda ids=ids: list(
                Invitation.objects.filter(
                    Q(sent_at__gt=since) | Q(status__in=[Status.PLANNED, Status.SENDING]),
                    requester_id__in=ids,
                ).only("requester", "sent_at")
            ),
        )
    for size, emails in ((1, one_mail), (1000, batch_mails)):
        calls = 300 if size == 1 else 30
        add(
            f"requesters locked, {size}",
            "surveys.closing._requesters",
            calls,
            lambda emails=emails: sql.select(
                Requester,
                *sql.is_in("email", emails),
                suffix="ORDER BY id" + sql.for_update(),
            ),
            lambda emails=emails: list(
                Requester.objects.filter(email__in=emails).order_by("id").select_for_update()
            ),
            True,
        )
    for size, emails in ((1, agent_mails[:1]), (AGENTS, agent_mails)):
        add(
            f"agents, {size}",
            "surveys.closing._agents",
            300,
            lambda emails=emails: sql.select(Agent, *sql.is_in("email", emails)),
            lambda emails=emails: list(Agent.objects.filter(email__in=emails)),
        )
    for size in (1, 1000):
        calls = 100 if size == 1 else 10
        counter = iter(range(10**9))

        def new_tickets(size=size, counter=counter):
            batch = next(counter)
            return [
                Ticket(
                    source="bench",
                    external_id=f"new-{batch}-{n}",
                    subject="Printer",
                    team=teams[n % TEAMS],
                    agent=agents[n % AGENTS],
                    requester=people[n],
                    closed_at=NOW,
                )
                for n in range(size)
            ]

        def tickets_orm(size=size, new_tickets=new_tickets):
            # What the ORM can do while telling created from known: look the keys up first,
            # insert the rest (a concurrent insert then fails as IntegrityError, to retry).
            tickets = new_tickets()
            keys = [(t.source, t.external_id) for t in tickets]
            known = closing._existing(keys)
            Ticket.objects.bulk_create(
                [t for t in tickets if (t.source, t.external_id) not in known]
            )

        add(
            f"tickets inserted, {size}",
            "surveys.closing._close",
            calls,
            lambda new_tickets=new_tickets: sql.insert(
                new_tickets(), skip_conflicts_on=("source", "external_id")
            ),
            tickets_orm,
            True,
        )

        def invitations(new_tickets=new_tickets):
            tickets = Ticket.objects.bulk_create(new_tickets())
            return [
                Invitation(
                    ticket=t, requester=t.requester, team=t.team, agent=t.agent, send_after=NOW
                )
                for t in tickets
            ]

        def invitations_sql(invitations=invitations):
            objs = invitations()
            started = time.process_time_ns()
            sql.insert(objs, match_on=("ticket",))
            return time.process_time_ns() - started

        def invitations_orm(invitations=invitations):
            objs = invitations()
            started = time.process_time_ns()
            Invitation.objects.bulk_create(objs)
            return time.process_time_ns() - started

        add(
            f"invitations inserted, {size}",
            "surveys.closing._close",
            calls,
            invitations_sql,
            invitations_orm,
            "own",
        )
    if connection.vendor == "postgresql":
        invitation = Invitation.objects.filter(status=Status.SENT).first()

        def sending():
            Invitation.objects.filter(pk=invitation.pk).update(
                status=Status.SENDING, claimed_by="bench", sent_at=None
            )

        def sent(vendor):
            sending()
            real = connection.vendor
            started = time.process_time_ns()
            connection.vendor = vendor  # the ORM path is the one SQLite takes
            try:
                dispatch._sent(invitation, "bench", NOW)
            finally:
                connection.vendor = real
            return time.process_time_ns() - started

        add(
            "an e-mail recorded as sent",
            "delivery.dispatch._sent (every e-mail)",
            200,
            lambda: sent("postgresql"),
            lambda: sent("sqlite"),
            "own",
        )
    return out


def measure_own(call, *, calls: int) -> tuple[float, int]:
    """As measure(), for calls that prepare their rows first and time only their own part."""
    times = []
    for i in range(calls + 3):
        with transaction.atomic():
            elapsed = call()
            transaction.set_rollback(True)
        if i >= 3:
            times.append(elapsed)
    counter = Counter()
    with transaction.atomic():
        with connection.execute_wrapper(counter):
            call()
        # The preparation's statements are counted by a run of it alone, below.
        transaction.set_rollback(True)
    return statistics.median(times) / 1000, counter.n


def closes(data: dict) -> list[tuple[str, float, int]]:
    """The whole of ticket closing as it runs now: one ticket, then a batch of 1,000."""
    people, teams = data["people"], data["teams"]
    counter = iter(range(10**9))

    def items(size):
        batch = next(counter)
        return [
            TicketIn(
                source="bench",
                external_id=f"close-{batch}-{n}",
                team=teams[n % TEAMS],
                requester_email=people[(batch * 7919 + n) % PEOPLE].email,
                closed_at=NOW,
                agent_email=f"agent{n % AGENTS}@example.org",
            )
            for n in range(size)
        ]

    out = []
    for size, calls in ((1, 100), (1000, 8)):
        cpu, statements = measure(
            lambda size=size: closing.tickets_close(items=items(size), now=NOW, savepoint=False),
            calls=calls,
            write=True,
        )
        out.append((f"tickets_close, {size}", cpu, statements))
    return out


def main() -> None:
    log(f"filling {connection.vendor}")
    data = fill()
    results = []
    for name, caller, calls, sql_version, orm_version, write in cases(data):
        if write == "own":
            sql_cpu, sql_n = measure_own(sql_version, calls=calls)
            orm_cpu, orm_n = measure_own(orm_version, calls=calls)
            # The statements of the preparation (tickets, the row to claim) are not the call's.
            sql_n, orm_n = sql_n - 1, orm_n - 1
        else:
            sql_cpu, sql_n = measure(sql_version, calls=calls, write=write)
            orm_cpu, orm_n = measure(orm_version, calls=calls, write=write)
        results.append(
            {
                "query": name,
                "caller": caller,
                "sql_us": round(sql_cpu),
                "orm_us": round(orm_cpu),
                "orm_over_sql": round(orm_cpu / sql_cpu, 2),
                "sql_statements": sql_n,
                "orm_statements": orm_n,
            }
        )
        log(
            f"{name:34} sql {sql_cpu:9.0f} µs {sql_n:2} st | orm {orm_cpu:9.0f} µs {orm_n:2} st"
            f" | orm/sql {orm_cpu / sql_cpu:4.2f}"
        )
    whole = []
    for name, cpu, statements in closes(data):
        whole.append({"call": name, "cpu_us": round(cpu), "statements": statements})
        log(f"{name:34} {cpu:9.0f} µs {statements:2} statements")
    print(json.dumps({"database": connection.vendor, "queries": results, "closes": whole}))


if __name__ == "__main__":
    main()
