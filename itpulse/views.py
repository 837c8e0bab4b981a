from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import defaults

from accounts import access
from surveys import branding


def home(request):
    """Send each person to the page their role is for."""
    user = request.user
    if not user.is_authenticated:
        return redirect("login")
    if not access.has_role(user):
        return access.no_role_page(request)
    if access.is_it_manager(user) or access.teams_for_user(user).exists():
        return redirect("dashboard")
    if access.agent_for_user(user) is not None:
        return redirect("my-feedback")
    if access.may_see_delivery(user):
        return redirect("ticket-list")
    if access.may_read_audit(user):
        return redirect("audit-events")
    return redirect("dashboard")


def not_found(request, exception):
    """API clients get JSON for a wrong address too (the OpenAPI document promises it)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"path": [_("No such API address.")]}}, status=404)
    return defaults.page_not_found(request, exception)


def _bad_request_message(exception) -> str:
    # Our own BadRequests say what was wrong; Django's other 400s (a Host header not in
    # ALLOWED_HOSTS, a broken multipart body) carry details meant for the log, not the client.
    if isinstance(exception, RequestDataTooBig):
        return _("The request is too large.")
    if isinstance(exception, TooManyFieldsSent | TooManyFilesSent):
        return _("The request has too many fields.")
    if type(exception) is BadRequest and exception.args:
        return str(exception)
    return _("The request could not be read.")


def bad_request(request, exception):
    """Every 400 says why in words, as JSON for API clients (the OpenAPI document's shape)."""
    message = _bad_request_message(exception)
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"request": [message]}}, status=400)
    return render(request, "400.html", {"message": message}, status=400)


def csrf_failure(request, reason=""):
    """A refused form explains itself in words a requester understands (Django's page does not)."""
    # The survey pages' look: requesters are the people most likely to land here.
    return render(request, "403_csrf.html", {**branding.brand(), "language_links": []}, status=403)
