"""Resealing: rows written by recent anonymous answers lose the mark of their transaction.

PostgreSQL keeps in every row the id of the transaction that last wrote it (the system column
`xmin`: `SELECT xmin, * FROM surveys_response` shows it to anyone who may read the table). An
anonymous answer is stored and its invitation marked answered in one transaction (the
invitation's row lock is what keeps one answer per invitation), so a join on xmin paired each
answer with its invitation, and so with its person, although no column links them.

Every few minutes (a beat task) this rewrites, in one transaction, every row a recent anonymous
answer may have written together with every row it could be paired with: the unlinked answers
given or changed since yesterday, their reasons and tags, every answered invitation of an
anonymous answer whose link was valid in that time, the same for periodic surveys, and the
counts of those days. Afterwards they all carry the reseal's transaction id, which pairs no
answer with an invitation any better than their days do. Between an answer and the next reseal
the pair can still be read by someone watching the live database: docs/privacy.md says so.

Rows are locked in the order an answer's own transaction locks them (invitation, answer, its
counts by day from the newest), so the two never wait for each other in a circle; and the
reseal gives up rather than queue behind a long transaction: the next run catches up.
"""

import logging
from datetime import datetime, timedelta

from django.db import OperationalError, connection, transaction
from django.db.models import F, Min, QuerySet

from campaigns.models import CampaignAnswer, CampaignInvitation
from followups.models import ResponseTag
from scoring.models import DailyScore, TeamDailyScore
from surveys.models import Invitation, Response
from surveys.unlinked import answer_day

logger = logging.getLogger(__name__)

# How long the reseal waits for a row another transaction holds before it gives up this run.
LOCK_TIMEOUT = "2s"


def _rewrite(rows: QuerySet, *order: str) -> int:
    """Lock the rows in `order`, then write each back unchanged: a new row version, whose xmin
    is this transaction's."""
    ids = list(rows.select_for_update().order_by(*order).values_list("pk", flat=True))
    if ids:
        # Any column set to itself makes a new version; every one of these has an id.
        rows.model.objects.filter(pk__in=ids).update(id=F("id"))
    return len(ids)


def anonymous_answers_reseal(*, now: datetime) -> dict[str, int]:
    """Rewrite the rows of the anonymous answers given or changed since yesterday, and all
    they could be paired with, in one transaction. Returns rows rewritten per kind; nothing
    (an empty dict) on a database without transaction ids in its rows (SQLite), or when a row
    stayed locked too long."""
    if connection.vendor != "postgresql":
        return {}
    try:
        with transaction.atomic():
            # A setting, not a query: the ORM has no way to say it (issue 15's rule on
            # hand-written SQL has nothing to measure here), and SQLite returned above.
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            return _reseal(answer_day(now) - timedelta(days=1))
    except OperationalError as exc:  # a lock not granted in time (psycopg's LockNotAvailable)
        logger.warning("reseal skipped, the next run catches up: %s", type(exc).__name__)
        return {}


def _reseal(start: datetime) -> dict[str, int]:
    answers = Response.objects.filter(invitation__isnull=True, updated_at__gte=start)
    # Answered, and not when: an anonymous answer's (or an unlinked) invitation, still valid.
    invitations = Invitation.objects.filter(
        status=Invitation.Status.ANSWERED, answered_at__isnull=True, expires_at__gte=start
    )
    counts = {
        "surveys": _rewrite(invitations, "pk"),
        "answers": _rewrite(answers, "pk"),
        "tags": _rewrite(ResponseTag.objects.filter(response__in=answers), "pk"),
        "reasons": _rewrite(Response.reasons.through.objects.filter(response__in=answers), "pk"),
        "periodic surveys": _rewrite(
            CampaignInvitation.objects.filter(
                answered=True, answered_on__isnull=True, expires_at__gte=start
            ),
            "pk",
        ),
        "periodic answers": _rewrite(
            CampaignAnswer.objects.filter(invitation__isnull=True, answered_on__gte=start.date()),
            "pk",
        ),
    }
    # The counts an answer moved: its day's, and its invitation's sent day's.
    teams = set(invitations.values_list("team_id", flat=True))
    teams |= set(answers.values_list("team_id", flat=True))
    first_sent = invitations.aggregate(first=Min("sent_at"))["first"]
    since = min(start, answer_day(first_sent)) if first_sent else start
    team_days = TeamDailyScore.objects.filter(team_id__in=teams, day__gte=since.date())
    counts["team days"] = _rewrite(team_days, "-day", "team_id")
    agent_days = DailyScore.objects.filter(team_id__in=teams, day__gte=start.date())
    counts["agent days"] = _rewrite(agent_days, "-day", "team_id", "agent_id")
    return counts
