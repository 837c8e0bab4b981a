"""Single sign-on: at every sign-in through the identity provider, the person's groups (the claim
named by OIDC_GROUPS_CLAIM) decide their roles and led teams through OIDC_ROLE_MAP. A group
they left takes its role with it; a group the map does not name gives nothing."""

import logging
from typing import Any

from django.conf import settings

from accounts.roles import Role
from accounts.services import roles_set
from surveys.models import Team

logger = logging.getLogger(__name__)


def sso_claims(extra_data: dict[str, Any]) -> dict[str, Any]:
    """The ID token's claims with the userinfo endpoint's over them. Some providers put groups
    in the ID token only (Entra ID), others in both."""
    return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}


def sso_groups(claims: dict[str, Any]) -> list[str]:
    value = claims.get(settings.OIDC_GROUPS_CLAIM)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(group) for group in value if isinstance(group, str | int)]
    return []


def sso_roles_apply(*, user, claims: dict[str, Any]) -> bool:
    """Make the user's roles what their groups say. Without OIDC_ROLE_MAP roles are given in
    ITPulse instead, and nothing changes. True when something changed."""
    if not settings.OIDC_ROLE_MAP:
        return False
    roles: set[Role] = set()
    slugs: set[str] = set()
    for group in sso_groups(claims):
        for role, team in settings.OIDC_ROLE_MAP.get(group, ()):
            if team:
                slugs.add(team)
            else:
                roles.add(Role(role))
    teams = list(Team.objects.filter(slug__in=slugs))
    if missing := slugs - {team.slug for team in teams}:
        # Names only the map's own words (team slugs), nothing about the person.
        logger.warning(
            "OIDC_ROLE_MAP names teams that do not exist: %s", ", ".join(sorted(missing))
        )
    if teams:
        roles.add(Role.TEAM_LEAD)
    return roles_set(user=user, roles=roles, lead_teams=teams)
