"""Rollups follow every answer surveys records and every deletion of a counted row.

Answers and the answered state arrive as surveys' own signals (surveys/signals.py), sent inside
the write's transaction, since surveys imports nothing above it. Deletions through post_delete,
because a deletion has paths no service sees: the admin's bulk delete, a cascade from a ticket,
retention and erasure commands. Django sends post_delete for each row of a cascade inside the
same transaction as the DELETE, so the counts and the rows commit or roll back together.
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from surveys import signals
from surveys.models import Invitation, Response

from . import rollups


@receiver(signals.response_recorded, dispatch_uid="scoring.response_recorded")
def response_recorded(
    sender,
    *,
    response: Response,
    new: bool,
    old_score: int | None,
    answered: Invitation | None = None,
    **kwargs,
) -> None:
    if new or old_score is not None:
        rollups.answer_counted(response, old_score=None if new else old_score, invitation=answered)
    elif answered is not None:
        rollups.invitation_answered(answered, 1)


@receiver(signals.invitation_answered, dispatch_uid="scoring.invitation_answered")
def invitation_answered(sender, *, invitation: Invitation, delta: int, **kwargs) -> None:
    rollups.invitation_answered(invitation, delta)


@receiver(signals.bulk_loaded, dispatch_uid="scoring.bulk_loaded")
def bulk_loaded(sender, **kwargs) -> None:
    rollups.rebuild()


@receiver(post_delete, sender=Response, dispatch_uid="scoring.response_deleted")
def response_deleted(sender, instance: Response, **kwargs) -> None:
    rollups.response_removed(instance)


@receiver(post_delete, sender=Invitation, dispatch_uid="scoring.invitation_deleted")
def invitation_deleted(sender, instance: Invitation, **kwargs) -> None:
    rollups.invitation_removed(instance)
