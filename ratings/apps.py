from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    """IT rates the collaboration on its tickets (TeamRules.rate_customers switches it on)."""

    name = "ratings"
    verbose_name = _("IT's ratings of customers")

    def ready(self) -> None:
        # Connecting receivers once the models are loaded (Django's convention).
        from . import receivers  # noqa: F401  (the demo's ratings of customers)
