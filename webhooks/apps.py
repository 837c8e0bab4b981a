from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Outgoing webhooks: answers and follow-up cases sent to URLs administrators subscribe."""

    name = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self) -> None:
        # Django's convention for receivers and registries: import them once models are loaded.
        from . import (
            deliveries,  # noqa: F401  (registers the webhook deliveries' kind with the engine)
            receivers,  # noqa: F401  (plans deliveries for answers and cases)
        )
