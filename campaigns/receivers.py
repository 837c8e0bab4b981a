"""The demo command's signal (accounts/signals.py): the demo's periodic surveys."""

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from accounts.signals import demo_loaded

from . import demo


@receiver(demo_loaded, dispatch_uid="campaigns.demo_loaded")
def demo_load(sender: Any, *, now: datetime, **kwargs: Any) -> None:
    demo.load_campaigns(now=now)
