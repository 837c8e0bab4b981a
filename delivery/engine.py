"""The delivery engine: every outgoing message is claimed, sent in batches, retried and reclaimed
the same way, whatever it is (a survey invitation, a periodic survey's invitation, a digest…).

A *kind* of message is a model whose rows are the outbox (one row, one e-mail) plus a `Kind`
registered here that says which rows are due, how to build each e-mail and what to record. The
engine does the rest, identically for every kind:

1. claim: `claim_due(kind, now=, limit=)` takes up to `limit` due rows (status "planned",
   `send_after` reached, and the kind's own `due` filter) under ``SELECT … FOR UPDATE SKIP
   LOCKED`` and moves them to "sending" with a random claim mark in one conditional UPDATE.
   Only the run holding the mark sends those rows, so two workers never take the same row and
   never wait for each other. `claim_one(kind, row_id=, now=)` claims one row the same way.
2. send: `send_claimed(kind, claim)` opens one SMTP connection for the whole batch (the
   mailer is reused; after an error it is closed and reopened). Before sending, `kind.prepare`
   gets every claimed row at once (to store link tokens in one query, say) and returns, per row,
   either a function that builds its e-mail or a reason to suppress it.
3. record: a row accepted by the server is recorded by `kind.record_sent` (default: "sent",
   `sent_at`, attempts + 1, claim cleared); only the claim holder's UPDATE counts.
4. retry: a temporary failure (4xx, connection refused or lost) puts the row back to "planned"
   with `send_after` moved by exponential backoff with jitter (`backoff`), until
   `settings.ITPULSE_MAX_ATTEMPTS`; then, or at once for a permanent failure (5xx, an address
   the server cannot take), "failed" with the reason (shown on the delivery page).
   A failure of the connection itself (refused, lost) applies to the rest of the batch.
5. reclaim: rows a dead worker left in "sending" go back to "planned" once their claim is older
   than `settings.ITPULSE_SENDING_TIMEOUT` (longer than any live task may run): `reclaim_stuck`.
   Rows a live run did not get to (an error, a time limit) it puts back itself on the way out.

`tick(now=)` runs reclaim and one batch for every registered kind: the beat calls it through
`delivery.tasks.tick` every minute, so nothing due waits in the broker; the nudge tasks only make
it sooner (`delivery.tasks.nudge`, which also dispatches every kind). A run that claims a full
batch nudges at once, before sending it, so that the next batch is claimed by another worker
meanwhile: a large campaign keeps every worker busy, one batch each.

Adding a kind::

    # in your app's models: the outbox fields come from the abstract model
    class Digest(delivery.engine.Outgoing):
        class Status(models.TextChoices): ...  # values "planned", "sending", "sent", "failed"
        ...

    # in your app (imported from its AppConfig.ready())
    engine.register(engine.Kind(
        name="digests",
        model=Digest,
        related=("user",),                       # select_related for the claimed rows
        prepare=lambda rows, now: [Prepared(row, build=partial(digest_email, row)) ...],
    ))

A model that cannot inherit `Outgoing` (surveys.Invitation: surveys sits below delivery) only
needs fields of the same names and meaning. The status values the engine writes are those of
`Outgoing.Status`; a model may add its own (an invitation becomes "answered").
Celery tasks stay thin and take no rows: `delivery.tasks.nudge()` after commit is all a kind's
app needs to ask for a prompt send.
"""

import logging
import random
import secrets
import smtplib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import models, transaction
from django.db.models import Case, F, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from surveys.logsafe import scrub

from .mime import use_classic_mime
from .smtp import AddressNotDeliverable

logger = logging.getLogger(__name__)


class Outgoing(models.Model):
    """The outbox fields of one outgoing e-mail: its status, the claim that holds it, its tries."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SUPPRESSED = "suppressed", _("suppressed")

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    reason = models.CharField(
        _("reason"), max_length=255, blank=True, help_text=_("Why it failed or was suppressed.")
    )
    send_after = models.DateTimeField(_("send after"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    # Which engine run holds the row while it is "sending" (its conditional UPDATE's mark).
    claimed_by = models.CharField(max_length=32, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        abstract = True


PLANNED, SENDING, SENT, FAILED, SUPPRESSED = (
    Outgoing.Status.PLANNED,
    Outgoing.Status.SENDING,
    Outgoing.Status.SENT,
    Outgoing.Status.FAILED,
    Outgoing.Status.SUPPRESSED,
)


@dataclass(frozen=True)
class Prepared:
    """One claimed row made ready: `build` makes its e-mail (or, for a kind with `post`, what
    `post` sends), or `suppress` says why none goes."""

    row: Any
    build: Callable[[], Any] | None = None
    suppress: str = ""


def _all_due(rows: QuerySet[Any], now: datetime) -> QuerySet[Any]:
    return rows


def record_sent(kind: "Kind", row: Any, claim: str, now: datetime) -> None:
    """The default record of an accepted e-mail: "sent" (unless the row moved on meanwhile)."""
    kind.model._default_manager.filter(pk=row.pk, claimed_by=claim).update(
        status=Case(When(status=SENDING, then=Value(SENT)), default=F("status")),
        sent_at=now,
        claimed_by="",
        reason="",
        attempts=F("attempts") + 1,
    )


def _no_log(row: Any, reason: str) -> None:
    return None


@dataclass(frozen=True)
class Kind:
    """What the engine needs to know about one kind of outgoing message."""

    name: str
    model: type[models.Model]
    prepare: Callable[[list[Any], datetime], list[Prepared]]
    # select_related of the claimed rows, so that building e-mails costs no query per row.
    related: tuple[str, ...] = ()
    # Narrows "planned and send_after reached" further (a kind-specific condition).
    due: Callable[[QuerySet[Any], datetime], QuerySet[Any]] = _all_due
    record_sent: Callable[["Kind", Any, str, datetime], None] = record_sent
    # How a failure is logged: "<message> <row id> failed: <reason>" (default: the name).
    message: str = ""
    # Told of each permanent failure (after the row is recorded), e.g. to log it.
    on_failed: Callable[[Any, str], None] = _no_log
    # A kind that does not go by mail (a chat webhook post): sends what `build` made itself,
    # instead of the SMTP connection. An OSError it raises (refused, timed out, an HTTP error)
    # is a temporary failure of that one message; anything else a permanent one.
    post: Callable[[Any], None] | None = None


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (idempotent by name: a second registration replaces the first)."""
    _kinds[kind.name] = kind
    return kind


def kinds() -> list[Kind]:
    return list(_kinds.values())


def get(name: str) -> Kind:
    return _kinds[name]


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    suppressed: int = 0
    claimed: int = 0
    retry_delays: list[float] = field(default_factory=list)
    # Some kind filled its batch: more may be due at once.
    more: bool = False

    @property
    def next_retry_in(self) -> float | None:
        return min(self.retry_delays) if self.retry_delays else None

    def add(self, other: "Outcome") -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.suppressed += other.suppressed
        self.claimed += other.claimed
        self.retry_delays.extend(other.retry_delays)
        self.more = self.more or other.more


@dataclass(frozen=True)
class Claim:
    """The rows one engine run holds, under its random mark."""

    kind: Kind
    mark: str
    rows: list[Any]


def reclaim_stuck(kind: Kind, *, now: datetime) -> int:
    cutoff = now - timedelta(seconds=settings.ITPULSE_SENDING_TIMEOUT)
    count = kind.model.objects.filter(status=SENDING, claimed_at__lt=cutoff).update(  # type: ignore[attr-defined]
        status=PLANNED, claimed_by=""
    )
    if count:
        logger.warning("reclaimed %s %s left in 'sending' by a worker that died", count, kind.name)
    return count


def _load(kind: Kind, mark: str, ids: Iterable[int]) -> list[Any]:
    return list(
        kind.model.objects.select_related(*kind.related).filter(  # type: ignore[attr-defined]
            id__in=ids, claimed_by=mark, status=SENDING
        )
    )


def claim_due(kind: Kind, *, now: datetime, limit: int) -> Claim:
    mark = secrets.token_hex(16)
    rows = kind.model.objects  # type: ignore[attr-defined]
    with transaction.atomic():
        ids = list(
            kind.due(rows.filter(status=PLANNED, send_after__lte=now), now)
            .order_by("send_after")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return Claim(kind, mark, [])
        rows.filter(id__in=ids, status=PLANNED).update(
            status=SENDING, claimed_at=now, claimed_by=mark
        )
    return Claim(kind, mark, _load(kind, mark, ids))


def claim_one(kind: Kind, *, row_id: int, now: datetime) -> Claim:
    mark = secrets.token_hex(16)
    kind.model.objects.filter(id=row_id, status=PLANNED, send_after__lte=now).update(  # type: ignore[attr-defined]
        status=SENDING, claimed_at=now, claimed_by=mark
    )
    return Claim(kind, mark, _load(kind, mark, [row_id]))


def classify(exc: Exception) -> tuple[bool, bool, str]:
    """(temporary, whole connection affected, reason) for an exception raised while sending."""
    if isinstance(exc, AddressNotDeliverable):
        return False, False, str(exc)
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


def classify_post(exc: Exception) -> tuple[bool, bool, str]:
    """classify() for a kind's own `post`: one message's failure, never the batch's."""
    return isinstance(exc, OSError), False, f"{type(exc).__name__}: {exc}"


def _text(value: object) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def backoff(attempt: int) -> float:
    """Exponential with jitter, so that a recovering server is not hit by every retry at once."""
    delay = settings.ITPULSE_RETRY_BASE_SECONDS * 2 ** (attempt - 1)
    return float(min(delay, 24 * 3600) * random.uniform(0.5, 1.5))


def record_failed(
    kind: Kind, row: Any, *, mark: str, now: datetime, temporary: bool, reason: str, out: Outcome
) -> None:
    attempts = row.attempts + 1
    mine = kind.model.objects.filter(id=row.id, claimed_by=mark, status=SENDING)  # type: ignore[attr-defined]
    if temporary and attempts < settings.ITPULSE_MAX_ATTEMPTS:
        delay = backoff(attempts)
        if mine.update(
            status=PLANNED,
            claimed_by="",
            attempts=attempts,
            send_after=now + timedelta(seconds=delay),
            reason=f"retry {attempts}/{settings.ITPULSE_MAX_ATTEMPTS}: {reason}"[:255],
        ):  # else another run holds the row now (this one outlived its claim): it records it
            out.retried += 1
            out.retry_delays.append(delay)
        return
    if temporary:
        reason = f"gave up after {attempts} attempts: {reason}"
    # The server's reply often quotes the recipient's address.
    logger.warning("%s %s failed: %s", kind.message or kind.name, row.id, scrub(reason))
    if mine.update(status=FAILED, claimed_by="", attempts=attempts, reason=reason[:255]):
        out.failed += 1
        kind.on_failed(row, reason)


def send_claimed(kind: Kind, claim: Claim, *, now: datetime) -> Outcome:
    """Send what this claim holds over one SMTP connection; record each result as it comes."""
    out = Outcome(claimed=len(claim.rows))
    model = kind.model.objects  # type: ignore[attr-defined]
    ready: list[Prepared] = []
    connection = mail.mailers.default
    classic = isinstance(connection, SMTPBackend)
    try:
        for prepared in kind.prepare(claim.rows, now):
            if prepared.build is None:
                model.filter(id=prepared.row.id, claimed_by=claim.mark).update(
                    status=SUPPRESSED, claimed_by="", reason=prepared.suppress[:255]
                )
                out.suppressed += 1
            else:
                ready.append(prepared)
        for position, prepared in enumerate(ready):
            try:
                assert prepared.build is not None  # only rows with a build are ready
                message = prepared.build()
                if kind.post is not None:
                    kind.post(message)
                else:
                    if classic:
                        use_classic_mime(message)
                    # Opens once and is then reused (open() is a no-op on an open connection);
                    # after an error the connection is closed and the next message reopens it.
                    connection.open()
                    connection.send_messages([message])
            except SoftTimeLimitExceeded:
                raise  # not the message's fault: the rest goes back in line (finally, below)
            except Exception as exc:
                temporary, whole, reason = (classify if kind.post is None else classify_post)(exc)
                connection.close()
                targets: Sequence[Prepared] = ready[position:] if whole else [prepared]
                for target in targets:
                    record_failed(
                        kind,
                        target.row,
                        mark=claim.mark,
                        now=now,
                        temporary=temporary,
                        reason=reason,
                        out=out,
                    )
                if whole:
                    break
                continue
            kind.record_sent(kind, prepared.row, claim.mark, now)
            out.sent += 1
    finally:
        connection.close()
        # Whatever this run did not get to (an error above, a time limit) goes back in line.
        model.filter(claimed_by=claim.mark, status=SENDING).update(status=PLANNED, claimed_by="")
    return out


def dispatch_due(
    kind: Kind,
    *,
    now: datetime,
    limit: int | None = None,
    on_full: Callable[[], object] | None = None,
) -> Outcome:
    """Claim one batch of `kind` and send it. A full batch means more may be due: `on_full`
    (the dispatch task's nudge) is called as soon as it is claimed, before sending, so that
    another worker claims the next batch meanwhile; without it, `Outcome.more` says so."""
    limit = limit or settings.ITPULSE_DISPATCH_BATCH
    claim = claim_due(kind, now=now, limit=limit)
    if not claim.rows:
        return Outcome()
    full = len(claim.rows) >= limit
    if full and on_full is not None:
        on_full()
        full = False
    outcome = send_claimed(kind, claim, now=now)
    outcome.more = full
    return outcome


def send_one(kind: Kind, *, row_id: int, now: datetime) -> Outcome:
    claim = claim_one(kind, row_id=row_id, now=now)
    if not claim.rows:
        return Outcome()
    return send_claimed(kind, claim, now=now)


def dispatch_all(
    *, now: datetime, limit: int | None = None, on_full: Callable[[], object] | None = None
) -> Outcome:
    """One batch of every kind (see dispatch_due for `on_full` and `Outcome.more`)."""
    total = Outcome()
    for kind in kinds():
        total.add(dispatch_due(kind, now=now, limit=limit, on_full=on_full))
    return total


def tick(
    *, now: datetime, limit: int | None = None, on_full: Callable[[], object] | None = None
) -> Outcome:
    """Reclaim dead workers' rows of every kind, then send one batch of each."""
    for kind in kinds():
        reclaim_stuck(kind, now=now)
    return dispatch_all(now=now, limit=limit, on_full=on_full)
