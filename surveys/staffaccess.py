"""Who may open this app's staff pages is decided by the accounts app (accounts/access.py, the
one place every page asks). accounts sits above surveys — it imports our models — so it
registers itself here when it starts (AccountsConfig.ready) instead of surveys importing it.
Nothing registered means a configuration error, never an open page.
"""

from collections.abc import Callable
from functools import wraps
from types import ModuleType

from django.core.exceptions import ImproperlyConfigured

_access: ModuleType | None = None


def register(access: ModuleType) -> None:
    global _access
    _access = access


def access() -> ModuleType:
    if _access is None:
        raise ImproperlyConfigured(
            "No access module is registered: add 'accounts' to INSTALLED_APPS."
        )
    return _access


def staff_page(may: str | None = None) -> Callable:
    """accounts.access.staff_page, looked up per request; `may` names one of its yes/no
    questions ("may_see_delivery")."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            module = access()
            question = getattr(module, may) if may else None
            return module.staff_page(question)(view)(request, *args, **kwargs)

        return wrapper

    return decorate
