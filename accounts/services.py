"""Giving and taking roles. Every change is written to the audit trail, naming the actor when
one is given (a person in the admin; none for a command or the single sign-on)."""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record
from surveys.models import Agent, Team

from .roles import ADMIN_ROLES, GLOBAL_ROLES, ROLE_PERMISSIONS, Role

_CACHE = "_itpulse_roles"


def roles_of(user) -> set[Role]:
    """The roles this user holds. Superusers hold what they were given: their being allowed
    everything is a matter for accounts/access.py, not a role."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, _CACHE, None)
    if cached is not None:
        return set(cached)
    names = set(user.groups.filter(name__in=GLOBAL_ROLES).values_list("name", flat=True))
    roles = {Role(name) for name in names}
    if Team.objects.filter(leads=user).exists():
        roles.add(Role.TEAM_LEAD)
    if Agent.objects.filter(user=user).exists():
        roles.add(Role.AGENT)
    setattr(user, _CACHE, frozenset(roles))
    return roles


def _group(role: Role) -> Group:
    """The role's group. Migration 0002 made it; one that is gone (deleted in the admin, or a
    test database flushed) is made again with the role's permissions."""
    group, created = Group.objects.get_or_create(name=role.value)
    if created:
        group.permissions.set(_permissions(ROLE_PERMISSIONS[role]))
    return group


def _permissions(dotted: Iterable[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in dotted}
    found = [
        permission
        for permission in Permission.objects.select_related("content_type").filter(
            codename__in={codename for _app, codename in wanted}
        )
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(f"Permissions missing (run `manage.py migrate`): {sorted(missing)}")
    return found


def _forget(user) -> None:
    # Django caches permissions on the user object; roles change them.
    for name in (_CACHE, "_perm_cache", "_group_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(name, None)


def _staff_follows_roles(user) -> bool:
    """Admin entry (is_staff) is held exactly by administrators and auditors (and superusers,
    who keep theirs). True when it changed."""
    wanted = user.is_superuser or bool(
        user.groups.filter(name__in=[role.value for role in ADMIN_ROLES]).exists()
    )
    if user.is_staff == wanted:
        return False
    user.is_staff = wanted
    user.save(update_fields=["is_staff"])
    return True


def _check_team(role: Role, team: Team | None) -> None:
    if role in GLOBAL_ROLES and team is not None:
        raise ValueError(f"The role {role.value!r} is for every team; give no team.")


def _audit(*, user, actor, granted=(), revoked=(), team: Team | None = None) -> None:
    details = {
        "user": user.pk,
        "granted": sorted(role.value for role in granted),
        "revoked": sorted(role.value for role in revoked),
    }
    if team is not None:
        details["team"] = team.slug
    audit_record(
        action=AuditEvent.Action.ROLE_CHANGED,
        actor=actor,
        target=f"user {user.pk}",
        details=details,
    )


@transaction.atomic
def role_grant(*, user: User, role: Role | str, team: Team | None = None, actor=None) -> bool:
    """Give a role; team leads and agents need their team. False when it was held already."""
    role = Role(role)
    _check_team(role, team)
    if role in GLOBAL_ROLES:
        group = _group(role)
        if user.groups.filter(pk=group.pk).exists():
            return False
        user.groups.add(group)
        if role in ADMIN_ROLES:
            _staff_follows_roles(user)
    elif team is None:
        raise ValueError(f"The role {role.value!r} needs a team.")
    elif role == Role.TEAM_LEAD:
        if team.leads.filter(pk=user.pk).exists():
            return False
        team.leads.add(user)
    elif not _agent_link(user=user, team=team):
        return False
    _forget(user)
    _audit(user=user, actor=actor, granted=[role], team=team)
    return True


def _agent_link(*, user, team: Team) -> bool:
    """Link the user to the team's agent with their e-mail address, making the agent if the
    team has none yet. An agent works in one team: moving is a revoke, then a grant."""
    linked = Agent.objects.filter(user=user).select_related("team").first()
    if linked is not None:
        if linked.team_id == team.pk:
            return False
        raise ValueError(
            f"This user is an agent of team {linked.team.slug!r}; revoke that role first."
        )
    if not user.email:
        raise ValueError("An agent needs an e-mail address: the one their tickets carry.")
    agent = Agent.objects.filter(email__iexact=user.email).select_related("team").first()
    if agent is None:
        name = user.get_full_name() if hasattr(user, "get_full_name") else ""
        Agent.objects.create(
            team=team, email=user.email, name=name or user.get_username(), user=user
        )
        return True
    if agent.team_id != team.pk:
        raise ValueError(f"The agent with this e-mail address works in team {agent.team.slug!r}.")
    if agent.user_id is not None:
        raise ValueError("The agent with this e-mail address belongs to another user account.")
    agent.user = user
    agent.save(update_fields=["user"])
    return True


@transaction.atomic
def role_revoke(*, user: User, role: Role | str, team: Team | None = None, actor=None) -> bool:
    """Take a role away. For a team lead or agent without a team: from every team.
    False when the user did not hold it."""
    role = Role(role)
    _check_team(role, team)
    if role in GLOBAL_ROLES:
        group = _group(role)
        if not user.groups.filter(pk=group.pk).exists():
            return False
        user.groups.remove(group)
        if role in ADMIN_ROLES:
            _staff_follows_roles(user)
    elif role == Role.TEAM_LEAD:
        led = Team.objects.filter(leads=user)
        if team is not None:
            led = led.filter(pk=team.pk)
        teams = list(led)
        if not teams:
            return False
        user.led_teams.remove(*teams)
    else:
        agents = Agent.objects.filter(user=user)
        if team is not None:
            agents = agents.filter(team=team)
        # The agent stays (their tickets and scores are theirs); only the account is unlinked.
        if not agents.update(user=None):
            return False
    _forget(user)
    _audit(user=user, actor=actor, revoked=[role], team=team)
    return True


@transaction.atomic
def roles_set(
    *,
    user: User,
    roles: Iterable[Role | str],
    lead_teams: Iterable[Team],
    actor=None,
) -> bool:
    """Make the user's global roles exactly `roles` and the teams they lead exactly
    `lead_teams`, in one transaction: the single sign-on calls it at every sign-in with what the
    identity provider says. The agent link is not touched (it ties a person to their tickets;
    use role_grant / role_revoke with Role.AGENT). False when nothing changed."""
    wanted = {Role(role) for role in roles}
    lead_teams = list(lead_teams)
    if Role.AGENT in wanted:
        raise ValueError("roles_set does not link agents: use role_grant(role=Role.AGENT, team=…).")
    if Role.TEAM_LEAD in wanted and not lead_teams:
        raise ValueError("A team lead needs the teams they lead (lead_teams).")
    _forget(user)
    wanted_global = wanted & GLOBAL_ROLES
    held_global = roles_of(user) & GLOBAL_ROLES
    granted = wanted_global - held_global
    revoked = held_global - wanted_global
    if granted:
        user.groups.add(*[_group(role) for role in granted])
    if revoked:
        user.groups.remove(*[_group(role) for role in revoked])
    held_teams = set(Team.objects.filter(leads=user))
    wanted_teams = set(lead_teams)
    teams_added, teams_removed = wanted_teams - held_teams, held_teams - wanted_teams
    if teams_added:
        user.led_teams.add(*teams_added)
    if teams_removed:
        user.led_teams.remove(*teams_removed)
    staff_changed = _staff_follows_roles(user)
    _forget(user)
    if not (granted or revoked or teams_added or teams_removed or staff_changed):
        return False
    if teams_added and not held_teams:
        granted = granted | {Role.TEAM_LEAD}
    if teams_removed and not wanted_teams:
        revoked = revoked | {Role.TEAM_LEAD}
    details = {
        "user": user.pk,
        "granted": sorted(role.value for role in granted),
        "revoked": sorted(role.value for role in revoked),
        "lead_teams_added": sorted(team.slug for team in teams_added),
        "lead_teams_removed": sorted(team.slug for team in teams_removed),
    }
    if staff_changed:
        details["admin_entry"] = user.is_staff
    audit_record(
        action=AuditEvent.Action.ROLE_CHANGED,
        actor=actor,
        target=f"user {user.pk}",
        details=details,
    )
    return True


@transaction.atomic
def agent_account_set(*, agent: Agent, user: User | None, actor=None) -> bool:
    """Link the agent to this user account (None: to none), the settings area's way of giving
    and taking the agent role for one agent whatever the account's own e-mail address. Each
    account that gains or loses the role gets its ROLE_CHANGED line. False when nothing
    changed; ValueError when the account is another agent's already."""
    if agent.user_id == (user.pk if user is not None else None):
        return False
    if user is not None and Agent.objects.filter(user=user).exclude(pk=agent.pk).exists():
        raise ValueError("This user account belongs to another agent.")
    previous = agent.user
    agent.user = user
    agent.save(update_fields=["user"])
    if previous is not None:
        _forget(previous)
        _audit(user=previous, actor=actor, revoked=[Role.AGENT], team=agent.team)
    if user is not None:
        _forget(user)
        _audit(user=user, actor=actor, granted=[Role.AGENT], team=agent.team)
    return True
