import logging

from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

from accounts import access
from surveys import branding

logger = logging.getLogger(__name__)


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


def permission_denied(request, exception):
    """A refusal in the site's layout saying whom to ask (accounts.access.refused_page)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"request": [_("Not allowed.")]}}, status=403)
    return access.refused_page(request)


def server_error(request):
    """The 500 page, rendered from the template alone: no request context (its processors read
    the user, the session, the database, any of which may be what broke) and no query."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"server": [_("Internal error.")]}}, status=500)
    try:
        html: str = loader.render_to_string(
            "500.html", {"ORGANISATION": settings.ITPULSE_ORGANISATION}
        )
    except Exception:  # the page must never be the second failure
        logger.exception("the 500 page could not be rendered")
        html = "<h1>Server Error (500)</h1>"
    return HttpResponseServerError(html)


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
