"""Keeping the rollup tables (scoring/models.py) equal to a recount of the raw rows.

The services call these inside their own transaction, so a response and its counts commit or
roll back together. Each change is one INSERT … ON CONFLICT DO UPDATE adding the deltas to the
row of its team (and agent) and day, made if missing: one statement, no read before the write
and no savepoint, so the row lock it takes (which serialises two answers for the same team and
day) is held only from there to the commit. The answer's service writes its counts last.
"""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from surveys.models import Invitation, Response
from surveys.unlinked import row_id

from .models import ALL_COLUMNS, PREFIXES, DailyScore, TeamDailyScore, column, columns

TEAM_KEY, AGENT_KEY = ("team_id", "day"), ("team_id", "day", "agent_id")


def local_day(instant: datetime) -> date:
    """The organisation's calendar day of an instant: the unit of every rollup row."""
    return timezone.localtime(instant, timezone.get_default_timezone()).date()


def _upsert(model, key_columns: tuple[str, ...], rows: Iterable[tuple[tuple, dict[str, int]]]):
    """Add each row's deltas to the counts of its key, making the row (all other counts 0) if
    there is none, in one statement: INSERT … ON CONFLICT (key) DO UPDATE SET c = c + new c.

    Hand-written: the ORM has no upsert that adds (bulk_create's update_conflicts overwrites),
    and its UPDATE-then-INSERT took two to four statements and a savepoint. Portable: PostgreSQL
    and SQLite both have this form; keys within one call must differ (one row each)."""
    merged: dict[tuple, dict[str, int]] = {}
    for key, deltas in rows:
        into = merged.setdefault(key, {})
        for field, delta in deltas.items():
            into[field] = into.get(field, 0) + delta
    merged = {key: d for key, d in merged.items() if any(d.values())}
    if not merged:
        return
    changed = sorted({field for deltas in merged.values() for field, d in deltas.items() if d})
    counts = [f.column for f in model._meta.concrete_fields if f.column in TEAM_FIELDS]
    table, quote = model._meta.db_table, connection.ops.quote_name
    names = ["id", *key_columns, *counts]
    day_field = model._meta.get_field("day")
    values, params = [], []
    # Keys in a fixed order: two answers' statements lock shared rows in the same order.
    for key in sorted(merged):
        deltas = merged[key]
        key_values = [
            day_field.get_db_prep_save(value, connection) if name == "day" else value
            for name, value in zip(key_columns, key, strict=True)
        ]
        # A random row id: the row may be made by an anonymous answer, whose time a
        # sequence's next value would tell (surveys/unlinked.py: row_id).
        params += [row_id(), *key_values, *(deltas.get(name, 0) for name in counts)]
        values.append("(" + ", ".join(["%s"] * len(names)) + ")")
    updates = ", ".join(f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in changed)
    # Names from the model's own fields, values as parameters: nothing from outside in the text.
    head = f"INSERT INTO {table} ({', '.join(map(quote, names))}) VALUES {', '.join(values)}"  # noqa: S608
    conflict = f" ON CONFLICT ({', '.join(map(quote, key_columns))}) DO UPDATE SET {updates}"
    sql = head + conflict
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _bump(model, key: dict, deltas: dict[str, int]) -> None:
    key_columns = TEAM_KEY if model is TeamDailyScore else AGENT_KEY
    _upsert(model, key_columns, [(tuple(key[name] for name in key_columns), deltas)])


def _count(response, scores: dict[str, int]) -> None:
    day = local_day(response.created_at)
    _bump(TeamDailyScore, {"team_id": response.team_id, "day": day}, scores)
    if response.agent_id is not None:
        key = {"team_id": response.team_id, "day": day, "agent_id": response.agent_id}
        _bump(DailyScore, key, scores)


def answer_counted(response, *, old_score: int | None, invitation=None) -> None:
    """Count an answer given (old_score None) or changed, and, with `invitation`, that
    invitation's move to "answered" on its sent day: at most one statement per table."""
    kind = response.question_type
    if old_score is None:
        scores = {column(kind, response.score): 1}
    elif old_score != response.score:
        scores = {column(kind, old_score): -1, column(kind, response.score): 1}
    else:
        scores = {}
    day = local_day(response.created_at)
    teams = [((response.team_id, day), scores)]
    if invitation is not None and invitation.sent_at is not None:
        teams.append(((invitation.team_id, local_day(invitation.sent_at)), {"answered": 1}))
    _upsert(TeamDailyScore, TEAM_KEY, teams)
    if response.agent_id is not None and scores:
        _upsert(DailyScore, AGENT_KEY, [((response.team_id, day, response.agent_id), scores)])


def invitation_answered(invitation, delta: int) -> None:
    """Count (1) or uncount (-1) an invitation's move to or from "answered" on its sent day.

    "Answered" is the invitation's status, not whether a response points to it: an anonymous
    answer points to none (surveys/unlinked.py), yet its invitation counts as answered.
    """
    if invitation.sent_at is not None:
        key = {"team_id": invitation.team_id, "day": local_day(invitation.sent_at)}
        _bump(TeamDailyScore, key, {"answered": delta})


def invitation_removed(invitation) -> None:
    """A deleted invitation no longer counts as sent (nor answered) on its sent day."""
    if invitation.sent_at is not None:
        answered = int(invitation.status == "answered")
        key = {"team_id": invitation.team_id, "day": local_day(invitation.sent_at)}
        _bump(TeamDailyScore, key, {"sent": -1, "answered": -answered})


def response_added(response) -> None:
    _count(response, {column(response.question_type, response.score): 1})


def response_removed(response) -> None:
    _count(response, {column(response.question_type, response.score): -1})


def response_rescored(response, old_score: int) -> None:
    """A changed answer stays on the scale it was first given on (its question_type)."""
    if old_score != response.score:
        kind = response.question_type
        _count(response, {column(kind, old_score): -1, column(kind, response.score): 1})


def invitation_sent(*, team_id: int, sent_at: datetime, invitation_id: int | None = None) -> None:
    """Count a sent invitation; call it after the UPDATE that set its sent_at.

    A link works while its e-mail is still "sending", so the answer may already be in. That
    answer could not count as answered (no sent day yet), so it counts now. The UPDATE holds the
    invitation's row lock, which response_submit takes too: either its "answered" is visible
    here or it runs after us and sees sent_at.
    """
    answered = (
        invitation_id is not None
        and Invitation.objects.filter(id=invitation_id, status="answered").exists()
    )
    _bump(
        TeamDailyScore,
        {"team_id": team_id, "day": local_day(sent_at)},
        {"sent": 1, "answered": int(answered)},
    )


_HISTOGRAM = {
    name: Count("id", filter=Q(question_type=kind, score=int(name[1:])))
    for kind in PREFIXES
    for name in columns(kind)
}
TEAM_FIELDS = (*ALL_COLUMNS, "sent", "answered")
AGENT_FIELDS = ALL_COLUMNS
BATCH = 5000


def _batched_create(model, rows) -> int:
    batch, total = [], 0
    for row in rows:
        batch.append(model(**row))
        if len(batch) == BATCH:
            model.objects.bulk_create(batch)
            total, batch = total + len(batch), []
    model.objects.bulk_create(batch)
    return total + len(batch)


def recount() -> tuple[dict[tuple, dict], dict[tuple, Mapping[str, Any]]]:
    """What both rollup tables should hold, counted from the responses and invitations:
    ({(team_id, day): row}, {(team_id, agent_id, day): row})."""
    zone = timezone.get_default_timezone()
    by_day = TruncDate("created_at", tzinfo=zone)
    agents: dict[tuple, Mapping[str, Any]] = {
        (row["team_id"], row["agent_id"], row["day"]): row
        for row in Response.objects.filter(agent__isnull=False)
        .values("team_id", "agent_id", day=by_day)
        .annotate(**_HISTOGRAM)
        .order_by()
        .iterator(chunk_size=BATCH)
    }
    teams: dict[tuple, dict] = {}
    for row in Response.objects.values("team_id", day=by_day).annotate(**_HISTOGRAM).order_by():
        teams[row["team_id"], row["day"]] = dict(row)
    sent_rows = (
        Invitation.objects.filter(sent_at__isnull=False)
        .values("team_id", day=TruncDate("sent_at", tzinfo=zone))
        .annotate(sent=Count("id"), answered=Count("id", filter=Q(status="answered")))
        .order_by()
    )
    for row in sent_rows:
        key = row["team_id"], row["day"]
        teams.setdefault(key, {"team_id": key[0], "day": key[1]})
        teams[key].update(sent=row["sent"], answered=row["answered"])
    return teams, agents


def _stored(model, key_fields: tuple[str, ...], fields: tuple[str, ...]) -> dict[tuple, dict]:
    return {
        tuple(row[f] for f in key_fields): row
        for row in model.objects.values(*key_fields, *fields).iterator(chunk_size=BATCH)
    }


def _compare(what: str, stored: dict, counted: dict, fields: tuple[str, ...]) -> list[str]:
    lines = []
    for key in sorted(stored.keys() | counted.keys(), key=str):
        have, want = stored.get(key, {}), counted.get(key, {})
        for field in fields:
            if have.get(field, 0) != want.get(field, 0):
                where = " ".join(str(part) for part in key)
                lines.append(
                    f"{what} {where}: {field} is {have.get(field, 0)}, "
                    f"the rows count {want.get(field, 0)}"
                )
    return lines


def differences() -> list[str]:
    """Every count in the rollup tables that differs from a recount of the rows, one line
    each; empty when they agree."""
    teams, agents = recount()
    stored_teams = _stored(TeamDailyScore, ("team_id", "day"), TEAM_FIELDS)
    stored_agents = _stored(DailyScore, ("team_id", "agent_id", "day"), AGENT_FIELDS)
    return _compare("team day", stored_teams, teams, TEAM_FIELDS) + _compare(
        "agent day", stored_agents, agents, AGENT_FIELDS
    )


@transaction.atomic
def rebuild() -> dict[str, int]:
    """Recount both rollup tables from the responses and invitations. Returns rows written."""
    teams, agents = recount()
    DailyScore.objects.all().delete()
    TeamDailyScore.objects.all().delete()
    agent_count = _batched_create(DailyScore, agents.values())
    team_count = _batched_create(TeamDailyScore, teams.values())
    return {"team_days": team_count, "agent_days": agent_count}
