"""Celery tasks: thin, take ids, call a service. Safe to run twice (the service claims first).

(Sending one invitation is delivery's: delivery.tasks.send_invitation.)"""

from celery import shared_task

from .services import invitations_expire


@shared_task(ignore_result=True)
def expire_invitations() -> None:
    invitations_expire()
