"""Celery tasks: thin, take ids, call a service. Safe to run twice (the service claims first)."""

from celery import shared_task


@shared_task(ignore_result=True)
def send_invitation(invitation_id: int) -> None:
    from .services import invitation_send

    invitation_send(invitation_id=invitation_id)


@shared_task(ignore_result=True)
def expire_invitations() -> None:
    from .services import invitations_expire

    invitations_expire()
