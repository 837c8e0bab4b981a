"""Integrations hear of every answer from surveys' signal (surveys imports nothing above it),
once the answer has committed (response_settled, from a retried task)."""

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from surveys import signals
from surveys.models import Response

from . import writeback


@receiver(signals.response_settled, dispatch_uid="integrations.response_settled")
def response_settled(
    sender: Any, *, response: Response, now: datetime, new: bool, **kwargs: Any
) -> None:
    writeback.writeback_plan(response=response, now=now, new=new)
