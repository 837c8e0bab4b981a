"""Thin tasks: they only call the privacy services."""

from celery import shared_task
from django.utils import timezone

from .resealing import anonymous_answers_reseal
from .retention import retention_apply


# Batched and restartable: a run cut off by its time limit is continued by the next one.
@shared_task(soft_time_limit=240, time_limit=300)
def apply_retention() -> dict[str, int]:
    return retention_apply(now=timezone.now(), actor_label="celery beat")


# Every few minutes (CELERY_BEAT_SCHEDULE): see privacy/resealing.py for why.
@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90)
def reseal_anonymous_answers() -> None:
    anonymous_answers_reseal(now=timezone.now())
