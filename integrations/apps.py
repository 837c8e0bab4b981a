from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Helpdesk integrations")

    def ready(self) -> None:
        # Importing a receivers' module in ready() is Django's way to connect them once the
        # models are loaded (a top-level import here would load them too early).
        from . import (
            receivers,  # noqa: F401  (plans write-backs of answers)
            writeback,  # noqa: F401  (registers the write-backs' kind with the delivery engine)
        )
