"""Follow-up hears of every answer from surveys' signal (surveys imports nothing above it),
inside the answer's transaction: a detractor's case is opened with the answer or not at all."""

from django.dispatch import receiver

from accounts.signals import demo_loaded
from surveys import signals
from surveys.models import Response

from . import demo, services


@receiver(signals.response_recorded, dispatch_uid="followups.response_recorded")
def response_recorded(sender, *, response: Response, now, new: bool, **kwargs) -> None:
    services.response_recorded(response=response, now=now, new=new)


@receiver(demo_loaded, dispatch_uid="followups.demo_loaded")
def demo_load(sender, *, now, lead, **kwargs) -> None:
    demo.load_followups(lead=lead, now=now)
