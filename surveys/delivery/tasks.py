"""Celery tasks of the dispatcher: thin, no arguments that name a person, safe to run twice."""

import logging
import math
import threading
import time

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)

# A retry is nudged with a countdown only when it is this close; later ones wait for the tick
# (Redis would redeliver a task held longer than its visibility timeout).
MAX_COUNTDOWN = 300


def nudge(countdown: float = 0) -> bool:
    """Ask a worker to dispatch soon. Only an optimisation: the beat tick finds due rows anyway,
    so a broker that is down must not fail the request that planned the invitation."""
    if countdown > MAX_COUNTDOWN:
        return False
    try:
        dispatch.apply_async(countdown=max(0, round(countdown)), retry=False)
    except Exception as exc:
        logger.warning("could not queue a dispatch (the beat tick will send): %s", exc)
        return False
    return True


# Closing tickets nudges too: at 300 closes a second a Redis publish per close was a tenth of
# the API's CPU, while one dispatch sends everything that is due. So per process a close's nudge
# is held back while one queued earlier will run no sooner than this one needs and at most
# COALESCE_SECONDS later; a nudge that is queued runs that much late to cover the closes after it.
COALESCE_SECONDS = 1
_queued = {"at": -math.inf}  # monotonic time the last coalesced nudge runs at
_queued_lock = threading.Lock()


def nudge_coalesced(countdown: float = 0) -> None:
    """nudge(), but at most about one per second from this process (see COALESCE_SECONDS)."""
    from itpulse.celery import app

    if countdown > MAX_COUNTDOWN or app.conf.task_always_eager:
        # Eager (tests): a nudge ran at once, so none is waiting that could cover this one.
        nudge(countdown)
        return
    now = time.monotonic()
    wanted = now + max(0.0, countdown)
    with _queued_lock:
        if wanted <= _queued["at"] <= wanted + COALESCE_SECONDS:
            return
        # Whole seconds, rounded up, so that it never runs before the time recorded.
        # (never past MAX_COUNTDOWN, which nudge() would refuse: countdown itself is within it)
        delay = min(math.ceil(wanted - now + COALESCE_SECONDS), MAX_COUNTDOWN)
        _queued["at"] = at = now + delay
    if nudge(delay) is False:  # not queued: let the next close try again
        with _queued_lock:
            if _queued["at"] == at:
                _queued["at"] = -math.inf


def _follow_up(outcome, limit: int) -> None:
    if outcome.claimed >= limit:
        nudge()  # more may be due: let another worker take the next batch in parallel
    if outcome.next_retry_in is not None:
        nudge(outcome.next_retry_in)


@shared_task(ignore_result=True)
def dispatch() -> None:
    from django.conf import settings

    from .dispatch import dispatch_due

    outcome = dispatch_due(now=timezone.now())
    _follow_up(outcome, settings.ITPULSE_DISPATCH_BATCH)


@shared_task(ignore_result=True)
def tick() -> None:
    """Every minute (beat): take back rows of dead workers, send reminders, dispatch what's due."""
    from django.conf import settings

    from .dispatch import dispatch_due, reclaim_stuck
    from .reminders import reminders_send

    now = timezone.now()
    reclaim_stuck(now=now)
    reminders_send(now=now)
    outcome = dispatch_due(now=now)
    _follow_up(outcome, settings.ITPULSE_DISPATCH_BATCH)
