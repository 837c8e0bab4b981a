from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SetupConfig(AppConfig):
    """The settings area: the hub at /settings/, its layout and the team set-up."""

    name = "setup"
    verbose_name = _("Settings")
