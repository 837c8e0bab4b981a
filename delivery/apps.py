from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "delivery"
    label = "delivery"
    verbose_name = _("Delivery")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Importing a receivers' module in ready() is Django's way to connect them once the
        # models are loaded (a top-level import here would load them too early).
        from . import (
            bounces,  # noqa: F401  (registers the bounce mailbox's beat task)
            digests,  # noqa: F401  (registers the digests' kind and their beat task)
            dispatch,  # noqa: F401  (registers the invitations' kind with the engine)
            planning,  # noqa: F401  (plans closed tickets' surveys)
            webhooks,  # noqa: F401  (connects the anymail tracking receiver)
        )
