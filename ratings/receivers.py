"""The demo command's signal (accounts/signals.py): the demo's ratings of customers."""

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from accounts.signals import demo_loaded

from . import demo


@receiver(demo_loaded, dispatch_uid="ratings.demo_loaded")
def demo_load(sender: Any, *, now: datetime, **kwargs: Any) -> None:
    demo.load_ratings(now=now)
