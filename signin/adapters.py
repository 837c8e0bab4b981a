"""django-allauth adapted to ITPulse: nobody signs up, password attempts go through the lockout,
password sign-in may be kept for superusers only, and every sign-in, failure, lockout and
sign-out is recorded in the audit trail."""

import math
from datetime import datetime
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import authenticate as django_authenticate
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from audit.models import AuditEvent

from . import lockout
from .events import client_ip, signin_event_record
from .mfa import mfa_missing
from .middleware import SIGNED_IN_AT
from .sso import sso_claims, sso_roles_apply

LOCKED_OUT = "locked_out"


def password_sign_in_allowed(user) -> bool:
    """With ITPULSE_LOCAL_LOGIN=false only superusers may sign in with a password (a way in
    when the identity provider is down); everyone else signs in through single sign-on."""
    return settings.ITPULSE_LOCAL_LOGIN or user.is_superuser


def locked_out_error(*, until: datetime, now: datetime) -> ValidationError:
    return ValidationError(
        _(
            "Too many failed sign-ins for this username from your address. "
            "Try again after %(time)s."
        ),
        code=LOCKED_OUT,
        params={
            "time": time_format(timezone.localtime(until), "H:i"),
            "seconds": math.ceil((until - now).total_seconds()),
        },
    )


def _methods(request: HttpRequest, user) -> list[str]:
    """How this session's sign-in was proven: password, sso, totp, recovery_codes."""
    methods = []
    for record in get_authentication_records(request, user):
        method = record.get("method")
        name = {"socialaccount": "sso", "mfa": record.get("type")}.get(method, method)
        if name and name not in methods:
            methods.append(name)
    return methods


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def authenticate(self, request: HttpRequest, **credentials: Any):
        """Every password check (sign-in and re-authentication) passes the lockout first.

        Replaces allauth's own per-username rate: ours is per username *and* address (a guesser
        elsewhere cannot lock a person out of their own desk) and is answered with 429.
        """
        now = timezone.now()
        username = credentials.get("username", "")
        attempt = lockout.attempt_begin(username=username, ip=client_ip(request), now=now)
        if attempt.locked_until is not None:
            signin_event_record(
                request=request,
                action=AuditEvent.Action.SIGN_IN_FAILED,
                username=username,
                details={"reason": "locked_out"},
            )
            raise locked_out_error(until=attempt.locked_until, now=now)
        user = django_authenticate(request, **credentials)
        reason = "wrong_password"
        if user is not None and not password_sign_in_allowed(user):
            user, reason = None, "password_sign_in_off"
        if user is not None:
            lockout.attempt_succeeded(attempt)
            return user
        locked_until = lockout.attempt_failed(attempt, now=now)
        signin_event_record(
            request=request,
            action=AuditEvent.Action.SIGN_IN_FAILED,
            username=username,
            details={"reason": reason},
        )
        if locked_until is not None:
            signin_event_record(
                request=request,
                action=AuditEvent.Action.LOCKED_OUT,
                username=username,
                details={"until": locked_until.isoformat(), "failures": attempt.number},
            )
        return None

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's rate limits and ours follow the one answer to "where from" (proxies).
        return client_ip(request)

    def login(self, request: HttpRequest, user) -> None:
        super().login(request, user)
        # The session's age is counted from here (middleware.SessionLimitMiddleware).
        request.session[SIGNED_IN_AT] = timezone.now().timestamp()
        if "password" in _methods(request, user) and mfa_missing(request):
            # Sent straight on to set up a second factor, which allauth guards with a fresh
            # password; the one typed a moment ago is that, rather than asking for it twice.
            record_authentication(request, user, method="password", reauthenticated=True)

    def post_login(self, request: HttpRequest, user, **kwargs: Any):
        sociallogin = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if sociallogin is not None:
            sso_roles_apply(user=user, claims=sso_claims(sociallogin.account.extra_data))
        response = super().post_login(request, user, **kwargs)
        signin_event_record(
            request=request,
            action=AuditEvent.Action.SIGNED_IN,
            user=user,
            details={"methods": _methods(request, user)},
        )
        return response

    def logout(self, request: HttpRequest) -> None:
        user = request.user
        if user.is_authenticated:
            signin_event_record(request=request, action=AuditEvent.Action.SIGNED_OUT, user=user)
        super().logout(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        # People of the organisation get an account at their first single sign-on; what they
        # may see follows from their groups (OIDC_ROLE_MAP), or an administrator.
        return True

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        # The provider refused, the person cancelled, or the answer did not verify.
        signin_event_record(
            request=request,
            action=AuditEvent.Action.SIGN_IN_FAILED,
            details={"reason": "sso_error", "error": str(error or "unknown")},
        )
        super().on_authentication_error(request, provider, error, exception, extra_context)
