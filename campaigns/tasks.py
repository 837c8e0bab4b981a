"""Thin tasks: they only call the periodic surveys' services."""

from celery import shared_task
from django.utils import timezone

from .services import campaigns_finish_ended, campaigns_launch_due


# Every minute (CELERY_BEAT_SCHEDULE). Safe to run twice or in two workers: each launch is
# claimed by a conditional UPDATE, and so is each end of a period.
@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90)
def campaigns_tick() -> None:
    now = timezone.now()
    campaigns_launch_due(now=now)
    campaigns_finish_ended(now=now)
