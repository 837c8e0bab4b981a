"""Survey invitations (surveys.Invitation) as a kind of the delivery engine (engine.py).

The engine claims, sends in batches on one connection, retries and reclaims; this module says
what is special about an invitation: an opted-out requester gets nothing (suppressed), every
link token is stored before the batch is sent, and "sent" also counts the invitation in its
team's day (rollups) in one statement. The functions below keep the dispatcher's names for the
invitation kind (claim_due, dispatch_due, send_one, reclaim_stuck).
"""

import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import Case, F, Value, When

from scoring import rollups
from scoring.models import TeamDailyScore
from surveys.emails import build_survey_email
from surveys.models import Invitation

from . import engine, rules
from .engine import Outcome, Prepared, backoff, classify

logger = logging.getLogger(__name__)
Status = Invitation.Status

__all__ = ["Outcome", "backoff", "classify"]


def _build(invitation: Invitation, token: str) -> Callable[[], EmailMessage]:
    # Looked up when called, so that a test may replace build_survey_email in this module.
    return lambda: build_survey_email(invitation, token)


def _prepare(invitations: list[Invitation], now: datetime) -> list[Prepared]:
    prepared = []
    tokened = []
    for invitation in invitations:
        # Privacy deletes unsent invitations and unlinks only sent ones: a claimed one has its
        # requester.
        assert invitation.requester is not None
        if invitation.requester.is_opted_out:  # opted out after the survey was planned
            prepared.append(Prepared(invitation, suppress=rules.OPTED_OUT))
        else:
            prepared.append(
                Prepared(invitation, build=_build(invitation, invitation.new_token(now)))
            )
            tokened.append(invitation)
    # The link must work the moment the e-mail is read: store every token hash before sending.
    Invitation.objects.bulk_update(tokened, ["token_hash", "expires_at"])
    return prepared


def _sent(invitation: Invitation, claim: str, now: datetime) -> None:
    remind_at = None
    if invitation.remind_after_days:
        remind_at = now + timedelta(days=invitation.remind_after_days)
    if connection.vendor == "postgresql":
        # The hot path: one statement, so one round trip per e-mail (see _sent_sql).
        with connection.cursor() as cursor:
            cursor.execute(
                _sent_sql(),
                [
                    Status.SENDING,
                    Status.SENT,
                    now,
                    remind_at,
                    invitation.id,
                    claim,
                    Status.ANSWERED,
                    rollups.local_day(now),
                ],
            )
        return
    with transaction.atomic():
        # The requester may already have answered through the link while it was "sending";
        # invitation_sent counts that answer, looking after this UPDATE holds the row lock.
        marked = Invitation.objects.filter(id=invitation.id, claimed_by=claim).update(
            status=Case(When(status=Status.SENDING, then=Value(Status.SENT)), default=F("status")),
            sent_at=now,
            claimed_by="",
            reason="",
            attempts=F("attempts") + 1,
            remind_at=remind_at,
        )
        if marked:
            rollups.invitation_sent(
                team_id=invitation.team_id, sent_at=now, invitation_id=invitation.id
            )


@functools.cache
def _sent_sql() -> str:
    """Record one accepted e-mail and count it in its team's day, as one SQL statement.

    The same as the ORM path after it (conditional UPDATE of the claimed row, then
    rollups.invitation_sent), folded into one statement: it is atomic on its own and costs one
    round trip instead of eight (the ORM path's, savepoints included), which is most of the
    database's share of sending an e-mail: ORM 3,594 µs, this 283 µs of CPU per e-mail,
    bench/sql_vs_orm.py on 2026-12-04. PostgreSQL only (SQLite has no UPDATE inside WITH): SQLite
    takes the ORM path, and tests/test_answer_while_sending.py runs both in CI.
    An answer given while the row was "sending" counts as answered, as in invitation_sent: the
    UPDATE sees the row as response_submit left it (status "answered", in the same transaction
    as the response), since it waits for that row lock and then reads the latest version.
    The rollup row's other counters start at 0, their default.
    """
    rollup = TeamDailyScore._meta
    others = [
        f.column
        for f in rollup.concrete_fields
        if f.column and f.column not in ("id", "team_id", "day", "sent", "answered")
    ]
    # Table and column names come from the models, never from input.
    return f"""
        WITH marked AS (
            UPDATE {Invitation._meta.db_table}
            SET status = CASE WHEN status = %s THEN %s ELSE status END,
                sent_at = %s, claimed_by = '', reason = '', attempts = attempts + 1,
                remind_at = %s
            WHERE id = %s AND claimed_by = %s
            RETURNING team_id, CASE WHEN status = %s THEN 1 ELSE 0 END AS answered
        )
        INSERT INTO {rollup.db_table} (team_id, day, sent, answered, {", ".join(others)})
        SELECT team_id, %s, 1, answered, {", ".join("0" for _ in others)}
        FROM marked
        ON CONFLICT (team_id, day) DO UPDATE SET
            sent = {rollup.db_table}.sent + 1,
            answered = {rollup.db_table}.answered + EXCLUDED.answered
    """  # noqa: S608


def _record_sent(kind: engine.Kind, invitation: Invitation, claim: str, now: datetime) -> None:
    _sent(invitation, claim, now)


KIND = engine.register(
    engine.Kind(
        name="invitations",
        message="survey e-mail for invitation",
        model=Invitation,
        related=("ticket", "requester", "team", "agent"),
        prepare=_prepare,
        record_sent=_record_sent,
    )
)


def reclaim_stuck(*, now: datetime) -> int:
    return engine.reclaim_stuck(KIND, now=now)


def claim_due(*, now: datetime, limit: int) -> tuple[str, list[Invitation]]:
    claim = engine.claim_due(KIND, now=now, limit=limit)
    return claim.mark, claim.rows


def send_claimed(invitations: list[Invitation], *, claim: str, now: datetime) -> Outcome:
    return engine.send_claimed(KIND, engine.Claim(KIND, claim, invitations), now=now)


def dispatch_due(*, now: datetime, limit: int | None = None) -> Outcome:
    return engine.dispatch_due(KIND, now=now, limit=limit)


def send_one(*, invitation_id: int, now: datetime) -> Outcome:
    return engine.send_one(KIND, row_id=invitation_id, now=now)
