"""Who must use a second factor: administrators and IT managers (and superusers) who signed in
with a password, when ITPULSE_REQUIRE_MFA is on. A single sign-on leaves the second factor to
the identity provider."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest


def mfa_required(user) -> bool:
    # Until accounts/roles.py lands, an IT manager is who may see every team.
    return user.is_superuser or user.has_perm("surveys.view_all_teams")


def signed_in_by_sso(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "socialaccount" for record in records)


def mfa_missing(request: HttpRequest) -> bool:
    """True when this signed-in user must have a TOTP authenticator and has none yet."""
    user = request.user
    if not settings.ITPULSE_REQUIRE_MFA or not mfa_required(user):
        return False
    if signed_in_by_sso(request):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
