"""Celery tasks: thin, take ids, call a service. Safe to run twice (the service claims first).

(Sending one invitation is delivery's: delivery.tasks.send_invitation.)"""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def expire_invitations() -> None:
    services.invitations_expire()


# Retried: a follow-up case and its alert must not be lost to a database hiccup; the receivers
# are safe to run twice (surveys/signals.py: response_settled).
@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=5, max_retries=8)
def answer_follow_through(response_id: int, new: bool) -> None:
    services.answer_follow_through(response_id=response_id, new=new)
