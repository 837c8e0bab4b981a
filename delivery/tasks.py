"""Celery tasks of the delivery engine: thin, no arguments that name a person, safe to run twice.

One `dispatch` task serves every kind of message (engine.kinds()), so a nudge from any app (a
ticket closed, a periodic survey launched) sends whatever is due, and the beat's `tick` is the
safety net that finds due rows of every kind even when no nudge got through."""

import logging
import math
import threading
import time

from celery import current_app, shared_task
from django.utils import timezone

from . import engine
from .dispatch import send_one
from .engine import Outcome
from .reminders import reminders_send

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
        # Rounded up: a dispatch that runs before the retry is due finds nothing, nudges no
        # more, and the retry waits for the minute's tick (round(1.4) ran it 0.4 s early).
        dispatch.apply_async(countdown=max(0, math.ceil(countdown)), retry=False)
    except Exception as exc:
        logger.warning("could not queue a dispatch (the beat tick will send): %s", exc)
        return False
    return True


# Closing tickets nudges too: at 300 closes a second a Redis publish per close was a tenth of
# the API's CPU, while one dispatch sends everything that is due. So per process: the first close
# after a quiet second nudges at once; the closes right after it share one nudge that runs
# COALESCE_SECONDS later; a close is not nudged while a queued nudge will run no sooner than it
# needs and at most COALESCE_SECONDS later. At most about two nudges a second, none too early.
COALESCE_SECONDS = 1
_queued = {"at": -math.inf, "sent": -math.inf}  # monotonic: when the last runs, was queued
_queued_lock = threading.Lock()


def nudge_coalesced(countdown: float = 0) -> None:
    """nudge(), but at most about two a second from this process (see COALESCE_SECONDS)."""
    if countdown > MAX_COUNTDOWN or current_app.conf.task_always_eager:
        # Eager (tests): a nudge ran at once, so none is waiting that could cover this one.
        nudge(countdown)
        return
    now = time.monotonic()
    wanted = now + max(0.0, countdown)
    with _queued_lock:
        if wanted <= _queued["at"] <= wanted + COALESCE_SECONDS:
            return
        # After a quiet second, at once; else late enough to cover the closes that follow.
        # Whole seconds, rounded up, so that it never runs before the time recorded, and never
        # past MAX_COUNTDOWN, which nudge() would refuse (countdown itself is within it).
        lag = 0 if now - _queued["sent"] >= COALESCE_SECONDS else COALESCE_SECONDS
        delay = min(math.ceil(wanted - now + lag), MAX_COUNTDOWN)
        previous = dict(_queued)
        _queued.update(at=now + delay, sent=now)
        at = _queued["at"]
    if nudge(delay) is False:  # not queued: let the next close try again
        with _queued_lock:
            if _queued["at"] == at:
                _queued.update(previous)


def _follow_up(outcome: Outcome) -> None:
    if outcome.next_retry_in is not None:
        nudge(outcome.next_retry_in)


def _nudge_now() -> None:
    # A full batch was just claimed: more may be due, for another worker to take meanwhile.
    nudge()


@shared_task(ignore_result=True)
def dispatch() -> None:
    """One batch of every kind of outgoing message that is due (delivery/engine.py)."""
    _follow_up(engine.dispatch_all(now=timezone.now(), on_full=_nudge_now))


@shared_task(ignore_result=True)
def tick() -> None:
    """Every minute (beat): take back rows of dead workers, send reminders, dispatch what's due,
    for every kind of outgoing message."""
    now = timezone.now()
    reminders_send(now=now)
    _follow_up(engine.tick(now=now, on_full=_nudge_now))


# Named as when surveys held it, so that a message queued before the move still finds it.
@shared_task(name="surveys.tasks.send_invitation", ignore_result=True)
def send_invitation(invitation_id: int) -> None:
    """Send one invitation if it is still planned (the claim makes a repeat harmless)."""
    send_one(invitation_id=invitation_id, now=timezone.now())
