"""Who must use a second factor: administrators and IT managers (and superusers) who signed in
with a password, when ITPULSE_REQUIRE_MFA is on. A single sign-on leaves the second factor to
the identity provider."""

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from accounts.roles import Role
from accounts.services import roles_of


def mfa_required(user) -> bool:
    # The IT manager's permission also counts when it was given outside the role.
    return (
        user.is_superuser
        or user.has_perm("surveys.view_all_teams")
        or Role.ADMINISTRATOR in roles_of(user)
    )


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
