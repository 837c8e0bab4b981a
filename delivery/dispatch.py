"""The dispatcher: claim due invitations in bounded batches, send each batch on one connection.

A claim is a conditional UPDATE (planned → sending) stamped with a random mark, so only the
run that made it sends those rows, on any database. Rows are locked with SKIP LOCKED while
claimed, so two workers take different batches instead of waiting for each other. A worker
that dies leaves its rows in "sending"; `reclaim_stuck` puts them back after a timeout that
is longer than any live task may run.
"""

import functools
import logging
import random
import secrets
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.db.models import Case, F, Value, When

from scoring import rollups
from scoring.models import TeamDailyScore
from surveys.emails import build_survey_email
from surveys.logsafe import scrub
from surveys.models import Invitation

from . import rules
from .mime import use_classic_mime

logger = logging.getLogger(__name__)
Status = Invitation.Status


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    suppressed: int = 0
    claimed: int = 0
    retry_delays: list[float] = field(default_factory=list)

    @property
    def next_retry_in(self) -> float | None:
        return min(self.retry_delays) if self.retry_delays else None


def reclaim_stuck(*, now: datetime) -> int:
    cutoff = now - timedelta(seconds=settings.ITPULSE_SENDING_TIMEOUT)
    count = Invitation.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff).update(
        status=Status.PLANNED, claimed_by=""
    )
    if count:
        logger.warning("reclaimed %s invitation(s) left in 'sending' by a worker that died", count)
    return count


def _claimed(claim: str, ids) -> list[Invitation]:
    return list(
        Invitation.objects.select_related("ticket", "requester", "team", "agent").filter(
            id__in=ids, claimed_by=claim, status=Status.SENDING
        )
    )


def claim_due(*, now: datetime, limit: int) -> tuple[str, list[Invitation]]:
    claim = secrets.token_hex(16)
    with transaction.atomic():
        ids = list(
            Invitation.objects.filter(status=Status.PLANNED, send_after__lte=now)
            .order_by("send_after")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return claim, []
        Invitation.objects.filter(id__in=ids, status=Status.PLANNED).update(
            status=Status.SENDING, claimed_at=now, claimed_by=claim
        )
    return claim, _claimed(claim, ids)


def claim_one(*, invitation_id: int, now: datetime) -> tuple[str, list[Invitation]]:
    claim = secrets.token_hex(16)
    Invitation.objects.filter(id=invitation_id, status=Status.PLANNED, send_after__lte=now).update(
        status=Status.SENDING, claimed_at=now, claimed_by=claim
    )
    return claim, _claimed(claim, [invitation_id])


def classify(exc: Exception) -> tuple[bool, bool, str]:
    """(temporary, whole connection affected, reason) for an exception raised while sending."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()), (550, b"refused"))
        return 400 <= code < 500, False, f"{code} {_text(text)}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return True, True, f"disconnected: {exc}"
    if isinstance(exc, smtplib.SMTPResponseException):
        whole = isinstance(
            exc, smtplib.SMTPConnectError | smtplib.SMTPHeloError | smtplib.SMTPAuthenticationError
        )
        return 400 <= exc.smtp_code < 500, whole, f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, OSError):  # refused, reset, timed out, name not found; SMTPException too
        return True, True, f"{type(exc).__name__}: {exc}"
    return False, False, f"{type(exc).__name__}: {exc}"


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def backoff(attempt: int) -> float:
    """Exponential with jitter, so that a recovering server is not hit by every retry at once."""
    delay = settings.ITPULSE_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    return min(delay, 24 * 3600) * random.uniform(0.5, 1.5)


def _failed(invitation: Invitation, claim: str, now, temporary: bool, reason: str, out: Outcome):
    attempts = invitation.attempts + 1
    mine = Invitation.objects.filter(id=invitation.id, claimed_by=claim, status=Status.SENDING)
    if temporary and attempts < settings.ITPULSE_MAX_ATTEMPTS:
        delay = backoff(attempts)
        mine.update(
            status=Status.PLANNED,
            claimed_by="",
            attempts=attempts,
            send_after=now + timedelta(seconds=delay),
            reason=f"retry {attempts}/{settings.ITPULSE_MAX_ATTEMPTS}: {reason}"[:255],
        )
        out.retried += 1
        out.retry_delays.append(delay)
        return
    if temporary:
        reason = f"gave up after {attempts} attempts: {reason}"
    # The server's reply often quotes the recipient's address.
    logger.warning("survey e-mail for invitation %s failed: %s", invitation.id, scrub(reason))
    mine.update(status=Status.FAILED, claimed_by="", attempts=attempts, reason=reason[:255])
    out.failed += 1


def _sent(invitation: Invitation, claim: str, now):
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
    round trip instead of four, which is most of the database's share of sending an e-mail.
    An answer given while the row was "sending" counts as answered, as in invitation_sent: the
    UPDATE sees the row as response_submit left it (status "answered", in the same transaction
    as the response), since it waits for that row lock and then reads the latest version.
    The rollup row's other counters start at 0, their default.
    """
    rollup = TeamDailyScore._meta
    others = [
        f.column
        for f in rollup.concrete_fields
        if f.column not in ("id", "team_id", "day", "sent", "answered")
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


def send_claimed(invitations: list[Invitation], *, claim: str, now: datetime) -> Outcome:
    """Send what this claim holds over one SMTP connection; record each result as it comes."""
    out = Outcome(claimed=len(invitations))
    ready = []
    for invitation in invitations:
        if invitation.requester.is_opted_out:  # opted out after the survey was planned
            Invitation.objects.filter(id=invitation.id, claimed_by=claim).update(
                status=Status.SUPPRESSED, claimed_by="", reason=rules.OPTED_OUT
            )
            out.suppressed += 1
        else:
            ready.append((invitation, invitation.new_token(now)))
    # The link must work the moment the e-mail is read: store every token hash before sending.
    Invitation.objects.bulk_update([inv for inv, _ in ready], ["token_hash", "expires_at"])
    connection = mail.mailers.default
    classic = isinstance(connection, SMTPBackend)
    try:
        for position, (invitation, token) in enumerate(ready):
            message = build_survey_email(invitation, token)
            if classic:
                use_classic_mime(message)
            try:
                # Opens once and is then reused (open() is a no-op on an open connection);
                # after an error the connection is closed and the next message reopens it.
                connection.open()
                connection.send_messages([message])
            except Exception as exc:
                temporary, whole, reason = classify(exc)
                connection.close()
                targets = ready[position:] if whole else [(invitation, token)]
                for target, _token in targets:
                    _failed(target, claim, now, temporary, reason, out)
                if whole:
                    break
                continue
            _sent(invitation, claim, now)
            out.sent += 1
    finally:
        connection.close()
        # Whatever this run did not get to (an error above, a time limit) goes back in line.
        Invitation.objects.filter(claimed_by=claim, status=Status.SENDING).update(
            status=Status.PLANNED, claimed_by=""
        )
    return out


def dispatch_due(*, now: datetime, limit: int | None = None) -> Outcome:
    claim, invitations = claim_due(now=now, limit=limit or settings.ITPULSE_DISPATCH_BATCH)
    if not invitations:
        return Outcome()
    return send_claimed(invitations, claim=claim, now=now)


def send_one(*, invitation_id: int, now: datetime) -> Outcome:
    claim, invitations = claim_one(invitation_id=invitation_id, now=now)
    if not invitations:
        return Outcome()
    return send_claimed(invitations, claim=claim, now=now)
