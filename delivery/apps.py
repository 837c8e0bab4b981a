from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "delivery"
    label = "delivery"
    verbose_name = _("Delivery")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Connects the anymail tracking receiver; registers the invitations' kind with the engine.
        from . import dispatch, webhooks  # noqa: F401
