"""Celery tasks of the dispatcher: thin, no arguments that name a person, safe to run twice."""

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)

# A retry is nudged with a countdown only when it is this close; later ones wait for the tick
# (Redis would redeliver a task held longer than its visibility timeout).
MAX_COUNTDOWN = 300


def nudge(countdown: float = 0) -> None:
    """Ask a worker to dispatch soon. Only an optimisation: the beat tick finds due rows anyway,
    so a broker that is down must not fail the request that planned the invitation."""
    if countdown > MAX_COUNTDOWN:
        return
    try:
        dispatch.apply_async(countdown=max(0, round(countdown)), retry=False)
    except Exception as exc:
        logger.warning("could not queue a dispatch (the beat tick will send): %s", exc)


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
