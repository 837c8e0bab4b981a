"""Two rules every signed-in request passes: a session ends ITPULSE_SESSION_HOURS after its
sign-in, and an administrator or IT manager without a second factor sets one up first."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from audit.models import AuditEvent

from .events import signin_event_record
from .mfa import mfa_missing

SIGNED_IN_AT = "itpulse_signed_in_at"

# Where someone who still has to set up a second factor may go: the set-up itself (with the
# re-authentication it may ask for), signing out and the language switch.
MFA_SETUP_VIEWS = frozenset(
    {
        "mfa_activate_totp",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "logout",
        "set_language",
    }
)


class SessionLimitMiddleware:
    """Django renews a session's expiry whenever the session is written; this ends it a fixed
    time after the sign-in instead. (Sessions from before this rule, or made by a test's
    force_login, have no sign-in time and end by SESSION_COOKIE_AGE alone.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        signed_in_at = request.session.get(SIGNED_IN_AT) if request.user.is_authenticated else None
        if signed_in_at is not None:
            age = timezone.now().timestamp() - signed_in_at
            if age > timedelta(hours=settings.ITPULSE_SESSION_HOURS).total_seconds():
                signin_event_record(
                    request=request,
                    action=AuditEvent.Action.SIGNED_OUT,
                    user=request.user,
                    details={"reason": "session_ended"},
                )
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                login = reverse("login")
                return HttpResponseRedirect(f"{login}?{urlencode({'next': request.path})}")
        return self.get_response(request)


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if request.user.is_authenticated and mfa_missing(request):
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in MFA_SETUP_VIEWS:
                return redirect(f"{reverse('mfa_activate_totp')}?required=1")
        return self.get_response(request)
