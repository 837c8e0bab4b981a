from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The record of sensitive operations. Lowest in the graph: it imports none of our apps, so
    every app may record into it."""

    name = "audit"
    verbose_name = _("Audit")
