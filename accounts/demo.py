"""The demo's logins, one per role, each a person of the demo organisation (surveys/demo.py).

Roles are given through accounts/services.py, as an administrator would. The team lead and the
agent work in Network & Infrastructure (the team with the most to follow up), whose agent Thomas
Smit is the agent login's person: signed in, he lands on his own feedback."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from surveys.models import Team

from .roles import Role
from .services import role_grant, role_revoke

DEMO_TEAM = "network"


@dataclass(frozen=True)
class DemoLogin:
    label: str  # the role, as printed before the login
    username: str
    password: str


# username → (label, e-mail, first name, last name). The agent's e-mail is the demo agent's:
# role_grant links the account to the agent with that address. The labels stay English, like
# the command's other output: scripts read these lines ("IT manager: manager / <password>").
PEOPLE = {
    "admin": ("Administrator", "admin@example.org", "Alex", "Admin"),
    "lead": ("Team lead (Network)", "ilse.kramer@example.org", "Ilse", "Kramer"),
    "agent": ("Agent (Network)", "thomas.smit@example.org", "Thomas", "Smit"),
    "manager": ("IT manager", "manager@example.org", "Maria", "Manager"),
}
ROLES = {
    "admin": Role.ADMINISTRATOR,
    "lead": Role.TEAM_LEAD,
    "agent": Role.AGENT,
    "manager": Role.IT_MANAGER,
}


def _user(username: str, password: str):
    _label, email, first, last = PEOPLE[username]
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": email, "first_name": first, "last_name": last}
    )
    user.set_password(password)
    user.save()
    return user


def demo_logins(*, manager_password: str | None = None) -> list[DemoLogin]:
    """Make or reset the four logins, each with a new password from `secrets` (the manager's
    may be given). The manager comes last: its line was, and stays, the output's last."""
    team = Team.objects.get(slug=DEMO_TEAM)
    logins = []
    for username, role in ROLES.items():
        password = secrets.token_urlsafe(9)
        if username == "manager" and manager_password:
            password = manager_password
        user = _user(username, password)
        if role in (Role.TEAM_LEAD, Role.AGENT):
            role_grant(user=user, role=role, team=team)
        else:
            role_grant(user=user, role=role)
        if username == "manager":
            # Earlier demos made the manager an administrator too; the administrator is a login
            # of its own now, and an IT manager who configures nothing shows the role as it is.
            role_revoke(user=user, role=Role.ADMINISTRATOR)
        logins.append(DemoLogin(PEOPLE[username][0], username, password))
    return logins


def demo_lead():
    """The demo's team lead (made by demo_logins): the owner of the demo's follow-up cases."""
    return get_user_model().objects.get(username="lead")
