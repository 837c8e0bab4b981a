from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Scoring")

    def ready(self):
        # Importing a receivers' module in ready() is Django's way to connect them once the
        # models are loaded (a top-level import here would load them too early).
        from . import receivers  # noqa: F401  (connects the rollups to answers and deletions)
