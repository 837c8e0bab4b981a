"""Integrations hear of every answer from surveys' signal (surveys imports nothing above it),
inside the answer's transaction: its write-back is planned with the answer or not at all."""

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from surveys import signals
from surveys.models import Response

from . import writeback


@receiver(signals.response_recorded, dispatch_uid="integrations.response_recorded")
def response_recorded(
    sender: Any, *, response: Response, now: datetime, new: bool, **kwargs: Any
) -> None:
    writeback.writeback_plan(response=response, now=now, new=new)
