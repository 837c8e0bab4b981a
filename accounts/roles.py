"""The roles a person can have in ITPulse, and what each global role may do.

Administrator, IT manager and auditor are global: each is a Django Group of the same name (made
by migration 0002) holding the permissions of ROLE_PERMISSIONS. Team lead and agent are scoped to
a team and stored where the team keeps them: Team.leads and Agent.user. What each role sees is
decided in accounts/access.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    IT_MANAGER = "it_manager", _("IT manager")
    TEAM_LEAD = "team_lead", _("team lead")
    AGENT = "agent", _("agent")
    AUDITOR = "auditor", _("auditor")


GLOBAL_ROLES = frozenset({Role.ADMINISTRATOR, Role.IT_MANAGER, Role.AUDITOR})
TEAM_ROLES = frozenset({Role.TEAM_LEAD, Role.AGENT})
# The roles whose work is in /admin/: holding one of them is what opens it (User.is_staff).
ADMIN_ROLES = frozenset({Role.ADMINISTRATOR, Role.AUDITOR})


def _crud(*models: str) -> set[str]:
    return {
        f"{model.split('.')[0]}.{verb}_{model.split('.')[1]}"
        for model in models
        for verb in ("add", "change", "delete", "view")
    }


# "app_label.codename" per global role: the permissions its Group holds. Migration 0002 gave the
# groups exactly these (tests/test_roles_groups.py compares): a change here needs a migration.
# Administrators configure (teams, agents, rules, connectors, tokens, users) and run delivery;
# they do not read scores or comments (no Response, follow-up case or tag permission).
ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ADMINISTRATOR: frozenset(
        _crud(
            "surveys.team",
            "surveys.agent",
            "surveys.reason",
            "surveys.apitoken",
            "delivery.deliveryrule",
            "delivery.suppressedaddress",
            "integrations.connector",
            "followups.teamrules",
            "followups.keywordrule",
            "campaigns.campaign",
        )
        | {
            "accounts.view_delivery",
            "accounts.import_tickets",
            "accounts.view_preference",
            "accounts.change_preference",
            "audit.view_auditevent",
            "auth.add_user",
            "auth.change_user",
            "auth.view_user",
            "surveys.view_requester",
            "surveys.change_requester",
            "surveys.view_ticket",
            "surveys.view_invitation",
            "surveys.view_linkclick",
            "surveys.view_capturedemail",
            "integrations.view_delivery",
        }
    ),
    Role.IT_MANAGER: frozenset({"surveys.view_all_teams"}),
    Role.AUDITOR: frozenset({"audit.view_auditevent"}),
}
