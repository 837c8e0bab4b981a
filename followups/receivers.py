"""Follow-up hears of every answer from surveys' signal (surveys imports nothing above it),
once the answer has committed (response_settled, from a retried task): a detractor's case is
opened then, its alert queued when that commits."""

from django.dispatch import receiver

from accounts.signals import demo_loaded
from surveys import signals
from surveys.models import Response

from . import demo, services


@receiver(signals.response_settled, dispatch_uid="followups.response_settled")
def response_settled(sender, *, response: Response, now, new: bool, **kwargs) -> None:
    services.response_recorded(response=response, now=now, new=new)


@receiver(demo_loaded, dispatch_uid="followups.demo_loaded")
def demo_load(sender, *, now, lead, **kwargs) -> None:
    demo.load_followups(lead=lead, now=now)
