"""Thin tasks: ids in, a service call, retried on failure. Safe to run twice."""

from celery import shared_task


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=60, max_retries=5)
def alert_case(case_id: int) -> None:
    from .services import case_alert_send

    case_alert_send(case_id=case_id)


@shared_task(ignore_result=True, autoretry_for=(OSError,), retry_backoff=60, max_retries=3)
def post_case_webhook(case_id: int) -> None:
    from .services import case_webhook_post

    case_webhook_post(case_id=case_id)
