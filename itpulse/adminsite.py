"""The Django admin refuses signed-in people it is not for in our words.

The admin sends anyone without the staff flag to its own sign-in form, even when they are
signed in: a team lead or a person without any role who follows an old link landed on a login
page that cannot help them (issue 17). Here they get the page saying whom to ask instead
(accounts.access.refused_page); visitors who are not signed in still go to sign in.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from accounts import access


def _outsider(request: HttpRequest) -> bool:
    user = request.user
    return user.is_authenticated and not admin.site.has_permission(request)


def _refusing(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _outsider(request):
            return access.refused_page(request)
        return view(request, *args, **kwargs)

    return wrapper


def refuse_outsiders(function: Callable[..., Any], *, wraps_views: bool = False) -> Any:
    """`function` (a view, or with `wraps_views` AdminSite.admin_view, which wraps every admin
    view) refusing signed-in people without admin access before the admin redirects them."""
    if not wraps_views:
        return _refusing(function)

    @wraps(function)
    def admin_view(view: Callable[..., HttpResponse], cacheable: bool = False) -> Any:
        return _refusing(function(view, cacheable))

    return admin_view
