"""`GET /health/`: one address for monitoring (docs/operations.md#monitoring).

It answers 200 when the database, the cache and the broker answer and no outgoing message has
been due for longer than ITPULSE_HEALTH_MAX_DUE_SECONDS (so a stopped worker or beat shows up,
not only a stopped web server), else 503; the JSON says which check failed. It needs no sign-in
(monitoring tools have none) and so holds only counts and timings: no address, ticket or team.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from delivery.backlog import backlog

from .celery import app as celery_app


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    # A write and a read: a cache that accepts connections but not writes is no cache.
    key = "itpulse:health"
    cache.set(key, "1", 30)
    if cache.get(key) != "1":
        raise RuntimeError("the value written was not read back")


def _broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _timed(check: Callable[[], None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # any failure is the answer: a monitor needs the reason, not a 500
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:200]}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": _timed(_database), "cache": _timed(_cache), "broker": _timed(_broker)}
    healthy = all(check["ok"] for check in checks.values())
    outbox: dict[str, Any] = {}
    if checks["database"]["ok"]:
        limit = settings.ITPULSE_HEALTH_MAX_DUE_SECONDS
        for row in backlog(now=timezone.now()):
            late = row.oldest_due_seconds > limit
            outbox[row.kind] = {
                "due": row.due,
                "oldest_due_seconds": row.oldest_due_seconds,
                "retrying": row.retrying,
                "stuck": row.stuck,
                "ok": not late,
            }
            healthy = healthy and not late
    body = {"status": "ok" if healthy else "failing", "checks": checks, "outbox": outbox}
    return JsonResponse(body, status=200 if healthy else 503)
