"""Celery tasks of the webhooks: thin, no arguments, safe to run twice."""

from celery import shared_task
from django.utils import timezone

from .anonymous import anonymous_days_plan


@shared_task(ignore_result=True)
def plan_anonymous_answers() -> None:
    """Every few minutes (beat): the anonymous answers of a day that ended, once."""
    anonymous_days_plan(now=timezone.now())
