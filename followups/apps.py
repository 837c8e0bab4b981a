from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-up")

    def ready(self):
        # Importing a receivers' module in ready() is Django's way to connect them once the
        # models are loaded (a top-level import here would load them too early).
        from . import (
            alerts,  # noqa: F401  (registers the case alerts' kind with the delivery engine)
            receivers,  # noqa: F401  (opens cases for answers)
        )
