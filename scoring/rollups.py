"""Keeping the rollup tables (scoring/models.py) equal to a recount of the raw rows.

The services call these inside their own transaction, so a response and its counts commit or
roll back together. Each change is an UPDATE of F() expressions (the row lock serialises two
answers for the same team and day); a missing row is created, and if a concurrent transaction
created it first, the UPDATE is simply retried.
"""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from surveys.models import Invitation, Response
from surveys.unlinked import row_id

from .models import ALL_COLUMNS, PREFIXES, DailyScore, TeamDailyScore, column, columns


def local_day(instant: datetime) -> date:
    """The organisation's calendar day of an instant: the unit of every rollup row."""
    return timezone.localtime(instant, timezone.get_default_timezone()).date()


def _bump(model, key: dict, deltas: dict[str, int]) -> None:
    deltas = {field: delta for field, delta in deltas.items() if delta}
    if not deltas:
        return
    updates = {field: F(field) + delta for field, delta in deltas.items()}
    if model.objects.filter(**key).update(**updates):
        return
    try:
        with transaction.atomic():
            # A random row id: the row may be made by an anonymous answer, whose time a
            # sequence's next value would tell (surveys/unlinked.py: row_id).
            model.objects.create(id=row_id(), **key, **deltas)
            return
    except IntegrityError:
        pass  # another transaction made the row between our UPDATE and INSERT
    model.objects.filter(**key).update(**updates)


def _count(response, scores: dict[str, int]) -> None:
    key = {"team_id": response.team_id, "day": local_day(response.created_at)}
    _bump(TeamDailyScore, key, scores)
    if response.agent_id is not None:
        _bump(DailyScore, {**key, "agent_id": response.agent_id}, scores)


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
