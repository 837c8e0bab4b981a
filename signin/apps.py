from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    """How people prove who they are: passwords with a lockout, a second factor, single sign-on
    with the organisation's identity provider (django-allauth, adapted here)."""

    name = "signin"
    verbose_name = _("Sign-in")

    def ready(self):
        # allauth tells, by its signals, when a second factor or a password changed; the audit
        # trail records it (receivers.py).
        from . import receivers  # noqa: F401
