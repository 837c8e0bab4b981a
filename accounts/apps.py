from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from surveys import staffaccess


class AccountsConfig(AppConfig):
    """People, their roles and preferences, and the one answer to "may this user see that"."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # surveys sits below accounts (we import its models), so its staff pages ask their
        # questions through a registry filled here instead of importing us. (access imports
        # models, which cannot be imported before the registry is ready.)
        from . import access

        staffaccess.register(access)
