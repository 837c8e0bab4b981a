"""Rollups follow every deletion of a counted row, whatever path deleted it.

A signal, against the habit of explicit service calls, because a deletion has paths no
service sees: the admin's bulk delete, a cascade from a ticket, retention and erasure
commands. Django sends post_delete for each row of a cascade inside the same transaction as
the DELETE, so the counts and the rows commit or roll back together. Changes that are not
deletions stay explicit calls in the services (scoring/rollups.py).
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from surveys.models import Invitation, Response

from . import rollups


@receiver(post_delete, sender=Response, dispatch_uid="scoring.response_deleted")
def response_deleted(sender, instance: Response, **kwargs) -> None:
    rollups.response_removed(instance)


@receiver(post_delete, sender=Invitation, dispatch_uid="scoring.invitation_deleted")
def invitation_deleted(sender, instance: Invitation, **kwargs) -> None:
    rollups.invitation_removed(instance)
