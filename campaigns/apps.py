from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    label = "campaigns"
    verbose_name = _("Periodic surveys")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Its invitations go out through the delivery engine, driven by delivery's tasks.
        from delivery import engine

        from . import receivers  # noqa: F401  (the demo's periodic surveys)
        from .reminding import KIND as REMINDERS
        from .sending import KIND

        engine.register(KIND)
        engine.register(REMINDERS)
