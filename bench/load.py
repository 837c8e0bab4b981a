"""Loading the benchmark's data: 10 million responses over 50 teams, 500 agents and 24 months.

Rows are written with COPY. Every value is a function of the row number, so the ticket,
invitation and response of one row agree although each table is written in its own pass.
Rows come in time order, as a real helpdesk's would.
"""

import json
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, models

from accounts.roles import Role
from accounts.services import role_grant
from surveys.models import Agent, Invitation, Requester, Response, Team, Ticket

TEAMS, AGENTS_PER_TEAM, REQUESTERS, DAYS = 50, 10, 20_000, 730
SOURCE = "bench"
NULL = r"\N"
COMMENTS = [
    "Quick and friendly, thanks!",
    "Took three days before anyone answered.",
    "The printer works again.",
    "Had to explain the problem twice.",
    "Great help with my new laptop.",
    "Password reset link did not work.",
]
SUBJECTS = ["Printer on floor 3", "VPN drops", "New laptop", "Password reset", "Teams crashes"]


def _mix(i: int) -> int:
    """A cheap, well-spread hash of the row number (splitmix-like), 32 bits."""
    x = (i * 0x9E3779B1 + 0x7F4A7C15) & 0xFFFFFFFF
    x = ((x ^ (x >> 15)) * 0x85EBCA6B) & 0xFFFFFFFF
    return (x ^ (x >> 13)) & 0xFFFFFFFF


class Rows:
    """What row number i holds, for `responses` answered and `unanswered` only sent rows."""

    def __init__(self, responses: int, unanswered: int, today: datetime):
        self.responses, self.total = responses, responses + unanswered
        self.start = today.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=DAYS)
        self.day_text = [
            (self.start + timedelta(days=d)).strftime("%Y-%m-%d ") for d in range(DAYS)
        ]
        self.clock = [f"{s // 3600:02}:{s // 60 % 60:02}:{s % 60:02}+00" for s in range(86400)]

    def at(self, i: int, shift: int = 0) -> str:
        """Row i's moment (spread over the days in row order), shifted by `shift` seconds."""
        n = self.responses if i <= self.responses else self.total - self.responses
        k = i if i <= self.responses else i - self.responses
        seconds = (k - 1) * DAYS * 86400 // n + _mix(i) % 3600 + shift
        seconds = min(max(seconds, 0), DAYS * 86400 - 1)
        return self.day_text[seconds // 86400] + self.clock[seconds % 86400]

    @staticmethod
    def team(i: int) -> int:
        return _mix(i) % TEAMS + 1

    @staticmethod
    def agent(i: int, team: int) -> int:
        return (team - 1) * AGENTS_PER_TEAM + (_mix(i) >> 8) % AGENTS_PER_TEAM + 1

    @staticmethod
    def requester(i: int) -> int:
        return (_mix(i) >> 12) % REQUESTERS + 1

    @staticmethod
    def score(i: int, team: int) -> int:
        # Teams differ (some better than others) so that the numbers are not all the same.
        roll = (_mix(i) >> 5) % 1000 + team * 3
        return (
            10
            if roll > 900
            else 9
            if roll > 700
            else 8
            if roll > 560
            else 7
            if roll > 420
            else roll % 7
        )


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value)
    if isinstance(value, datetime):
        value = value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _columns(model, given: list[str], now: datetime) -> tuple[list[str], str]:
    """All concrete columns of the model: ours first, then a constant for every other one,
    so a field added by other work (with a default, or nullable) does not break the load."""
    rest = []
    for field in model._meta.concrete_fields:
        if field.column in given:
            continue
        if field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif isinstance(field, models.DateTimeField):
            value = now
        elif field.empty_strings_allowed:
            value = ""
        else:
            raise SystemExit(f"bench: no value for {model.__name__}.{field.name}")
        rest.append((field.column, _copy_text(value)))
    columns = given + [column for column, _ in rest]
    suffix = "".join("\t" + text for _, text in rest)
    return columns, suffix


def _copy(model, given: list[str], lines, now: datetime, chunk: int = 50_000) -> None:
    columns, suffix = _columns(model, given, now)
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.connection.cursor().copy(sql) as copy:
        buffer = []
        for line in lines:
            buffer.append(line + suffix + "\n")
            if len(buffer) == chunk:
                copy.write("".join(buffer))
                buffer.clear()
        copy.write("".join(buffer))


def load(*, responses: int, unanswered: int, now: datetime, log) -> None:
    rows = Rows(responses, unanswered, now)
    Team.objects.bulk_create(
        Team(id=t, name=f"Team {t:02}", slug=f"team-{t:02}") for t in range(1, TEAMS + 1)
    )
    Agent.objects.bulk_create(
        Agent(
            id=a,
            team_id=(a - 1) // AGENTS_PER_TEAM + 1,
            email=f"agent{a}@example.org",
            name=f"Agent {a:03}",
        )
        for a in range(1, TEAMS * AGENTS_PER_TEAM + 1)
    )
    Requester.objects.bulk_create(
        Requester(id=r, email=f"requester{r}@example.org", name=f"Requester {r}")
        for r in range(1, REQUESTERS + 1)
    )
    with connection.cursor() as cursor:
        # Foreign keys are right by construction; checking 30 million of them row by row
        # would triple the load time.
        cursor.execute("SET session_replication_role = replica")
    log("tickets")
    _copy(
        Ticket,
        [
            "id",
            "source",
            "external_id",
            "subject",
            "team_id",
            "agent_id",
            "requester_id",
            "closed_at",
            "created_at",
        ],
        (
            f"{i}\t{SOURCE}\tB-{i}\t{SUBJECTS[i % 5]}\t{t}\t{rows.agent(i, t)}\t"
            f"{rows.requester(i)}\t{closed}\t{closed}"
            for i in range(1, rows.total + 1)
            for t in (rows.team(i),)
            for closed in (rows.at(i, -3600),)
        ),
        now,
    )
    log("invitations")
    _copy(
        Invitation,
        [
            "id",
            "ticket_id",
            "requester_id",
            "team_id",
            "agent_id",
            "status",
            "send_after",
            "sent_at",
            "answered_at",
            "attempts",
            "created_at",
        ],
        (
            f"{i}\t{i}\t{rows.requester(i)}\t{t}\t{rows.agent(i, t)}\t"
            f"{'answered' if answered else 'expired'}\t{sent}\t{sent}\t"
            f"{rows.at(i) if answered else NULL}\t1\t{sent}"
            for i in range(1, rows.total + 1)
            for t in (rows.team(i),)
            for sent in (rows.at(i, -1800),)
            for answered in (i <= rows.responses,)
        ),
        now,
    )
    log("responses")
    _copy(
        Response,
        [
            "id",
            "invitation_id",
            "team_id",
            "agent_id",
            "score",
            "comment",
            "created_at",
            "updated_at",
        ],
        (
            f"{i}\t{i}\t{t}\t{rows.agent(i, t)}\t{rows.score(i, t)}\t"
            f"{COMMENTS[(_mix(i) >> 16) % 6] if (_mix(i) >> 20) % 10 < 3 else ''}\t{at}\t{at}"
            for i in range(1, rows.responses + 1)
            for t in (rows.team(i),)
            for at in (rows.at(i),)
        ),
        now,
    )
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        for sql in connection.ops.sequence_reset_sql(
            no_style(), [Team, Agent, Requester, Ticket, Invitation, Response]
        ):
            cursor.execute(sql)


def manager(password: str):
    User = get_user_model()
    user, _created = User.objects.get_or_create(username="manager")
    user.set_password(password)
    user.save()
    role_grant(user=user, role=Role.IT_MANAGER)
    return user


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
