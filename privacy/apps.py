from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """Retention, access and erasure requests. Top of the graph: it reads and changes the other
    apps' rows, and none of them imports it (its admin replaces surveys' Requester admin)."""

    name = "privacy"
    verbose_name = _("Privacy")
