"""Thin tasks: ids in, a service call, safe to run twice."""

from celery import shared_task

from . import alerts


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=60, max_retries=5)
def alert_case(case_id: int) -> None:
    # Planning is once per case; a refused e-mail is retried by the delivery engine, not here.
    alerts.case_alert_send(case_id=case_id)


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=60, max_retries=5)
def post_case_webhook(case_id: int) -> None:
    alerts.case_webhook_post(case_id=case_id)
