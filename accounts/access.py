"""Who may see what: the one place every staff page and read asks.

Roles (accounts/roles.py): an IT manager (permission surveys.view_all_teams) sees every team; a
team lead the teams they lead (Team.leads); an agent (Agent.user) the feedback on their own
tickets; an administrator configures (the admin, connectors, imports) and runs delivery (the
Sent mail, scanner and delivery pages: permission accounts.view_delivery), without scores; an
auditor reads the audit log (audit.view_auditevent) in the admin. Per-agent and per-ticket scores
are seen only by the agent, the leads of the agent's team and IT managers.

`is_staff` grants nothing here: it only opens /admin/, where model permissions apply. Objects
are looked up through the user, so anything out of reach is a 404, never a 403 that confirms it.
A signed-in person without any role gets one page saying whom to ask (no_role_page).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import render

from surveys.models import Agent, Invitation, Team, Ticket

from .roles import Role
from .services import roles_of


def has_role(user) -> bool:
    """Whether anything here is for this user: a role, or (outside the roles) a permission an
    organisation gave them directly. The staff flag alone is not enough."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(roles_of(user)) or bool(user.get_all_permissions())


def is_it_manager(user) -> bool:
    return user.is_authenticated and user.has_perm("surveys.view_all_teams")


def may_see_delivery(user) -> bool:
    """The Sent mail, scanner and delivery pages: they show live survey links."""
    return user.is_authenticated and user.has_perm("accounts.view_delivery")


def may_read_audit(user) -> bool:
    return user.is_authenticated and user.has_perm("audit.view_auditevent")


def may_manage_connectors(user) -> bool:
    return user.is_authenticated and user.has_perm("integrations.view_connector")


def may_add_connectors(user) -> bool:
    return user.is_authenticated and user.has_perm("integrations.add_connector")


def may_change_connectors(user) -> bool:
    """Edit, disable, a new secret: the secret itself is shown only once, when it is made."""
    return user.is_authenticated and user.has_perm("integrations.change_connector")


def may_import_tickets(user) -> bool:
    return user.is_authenticated and user.has_perm("accounts.import_tickets")


def may_see_api_tokens(user) -> bool:
    return user.is_authenticated and user.has_perm("surveys.view_apitoken")


def may_add_api_tokens(user) -> bool:
    return user.is_authenticated and user.has_perm("surveys.add_apitoken")


def may_revoke_api_tokens(user) -> bool:
    return user.is_authenticated and user.has_perm("surveys.change_apitoken")


def may_manage_webhooks(user) -> bool:
    """Outgoing webhooks send answers out of the building: the administrator role decides
    (accounts/roles.py), or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.ADMINISTRATOR in roles_of(user)


# Teams


def teams_for_user(user) -> QuerySet[Team]:
    """Teams whose dashboard, comments and follow-up this user sees."""
    if not user.is_authenticated:
        return Team.objects.none()
    if is_it_manager(user):
        return Team.objects.all()
    return Team.objects.filter(leads=user)


def get_team_for_user(user, slug: str) -> Team:
    team = teams_for_user(user).filter(slug=slug).first()
    if team is None:
        raise Http404
    return team


def teams_with_agent_scores(user) -> QuerySet[Team]:
    """Teams whose agents' and tickets' scores this user sees: IT managers all, leads theirs."""
    return teams_for_user(user)


def may_see_agent_scores(user, team: Team) -> bool:
    return teams_with_agent_scores(user).filter(pk=team.pk).exists()


# Agents


def agent_for_user(user) -> Agent | None:
    """The agent this user is (Agent.user), if any."""
    if not user.is_authenticated:
        return None
    return Agent.objects.select_related("team").filter(user=user).first()


def agents_for_user(user) -> QuerySet[Agent]:
    """Agents whose personal scores this user may see: their own, their teams', or all."""
    if not user.is_authenticated:
        return Agent.objects.none()
    if is_it_manager(user):
        return Agent.objects.all()
    return Agent.objects.filter(Q(user=user) | Q(team__leads=user)).distinct()


def get_agent_for_user(user, pk: int) -> Agent:
    agent = agents_for_user(user).select_related("team").filter(pk=pk).first()
    if agent is None:
        raise Http404
    return agent


# Tickets


def may_see_tickets(user) -> bool:
    """Whether the ticket list is for this user at all (an auditor's work is elsewhere)."""
    if is_it_manager(user) or may_see_delivery(user):
        return True
    return bool(roles_of(user) & {Role.TEAM_LEAD, Role.AGENT})


def tickets_for_user(user) -> QuerySet[Ticket]:
    """Tickets with their survey status: IT managers and those who run delivery (who see every
    survey on the delivery page anyway) all; team leads their teams'; agents their own."""
    if not user.is_authenticated:
        return Ticket.objects.none()
    if is_it_manager(user) or may_see_delivery(user):
        return Ticket.objects.all()
    return Ticket.objects.filter(Q(team__leads=user) | Q(agent__user=user)).distinct()


def may_see_ticket(user, ticket: Ticket) -> bool:
    return tickets_for_user(user).filter(pk=ticket.pk).exists()


def invitations_for_user(user) -> QuerySet[Invitation]:
    """Invitations this user may act on (resend): those of the tickets they see."""
    if not user.is_authenticated:
        return Invitation.objects.none()
    if is_it_manager(user) or may_see_delivery(user):
        return Invitation.objects.all()
    return Invitation.objects.filter(ticket__in=tickets_for_user(user))


def teams_to_close_for(user) -> QuerySet[Team]:
    """Teams this user may close a ticket for by hand (which sends its survey)."""
    if not user.is_authenticated:
        return Team.objects.none()
    if is_it_manager(user) or may_see_delivery(user):
        return Team.objects.all()
    return Team.objects.filter(Q(leads=user) | Q(agents__user=user)).distinct()


# The settings area (/settings/, the setup app): administrators configure everything; IT
# managers the survey set-up of every team, team leads that of the teams they lead (rules,
# wording, follow-up threshold), never who is in a team, its anonymity or user accounts.


def teams_configurable_by(user) -> QuerySet[Team]:
    """Teams whose rules, question and follow-up threshold this user may change."""
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    if user.has_perm("surveys.change_team") or is_it_manager(user):
        return Team.objects.all()
    return Team.objects.filter(leads=user)


def get_team_to_configure(user, slug: str) -> Team:
    team = teams_configurable_by(user).filter(slug=slug).first()
    if team is None:
        raise Http404
    return team


def may_configure_teams(user) -> bool:
    """Whether the team set-up is for this user at all (an IT manager's even before any team
    exists)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return may_create_teams(user) or is_it_manager(user) or teams_configurable_by(user).exists()


def may_create_teams(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("surveys.add_team")


def may_manage_members(user) -> bool:
    """Agents, team leads and a team's anonymity: who is in a team and how their answers are
    kept is the administrators' decision, for every team (not the lead's for their own)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.has_perm("surveys.change_agent")
        and user.has_perm("auth.change_user")
    )


def may_manage_accounts(user) -> bool:
    """User accounts (create with a role, deactivate): administrators."""
    return (
        user.is_authenticated
        and user.is_active
        and user.has_perm("auth.add_user")
        and user.has_perm("auth.change_user")
    )


def accounts_manageable_by(user) -> QuerySet:
    """User accounts this user may change: none, or (administrators) every account but a
    superuser's, which only a superuser touches (as in the admin)."""
    if not may_manage_accounts(user):
        return get_user_model().objects.none()
    accounts = get_user_model().objects.all()
    return accounts if user.is_superuser else accounts.filter(is_superuser=False)


def get_account_to_configure(user, pk: int):
    account = accounts_manageable_by(user).filter(pk=pk).first()
    if account is None:
        raise Http404
    return account


def may_manage_periodic_surveys(user) -> bool:
    """Periodic surveys (create, preview, schedule, launch, cancel): administrators, who hold
    the campaign permissions, and IT managers, who read their results. Not team leads: a
    periodic survey asks the whole organisation, not one team."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm("campaigns.change_campaign") or is_it_manager(user)


def may_see_periodic_survey_results(user) -> bool:
    """The results of a periodic survey are scores: IT managers (administrators see none)."""
    return is_it_manager(user)


def may_manage_reasons(user) -> bool:
    """Reasons (root causes) and the keyword rules that suggest them: administrators and IT
    managers. They are one set for the whole organisation (surveys.Reason has no team), shared
    by every team's tagging and counts, so a team lead changes none of them."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.has_perm("surveys.change_reason") and user.has_perm("followups.change_keywordrule")
    ) or is_it_manager(user)


def may_open_settings(user) -> bool:
    """Whether /settings/ and its navigation link are for this user: any of its sections is.
    A new section's rule is added here and in setup/sections.py (a test compares the two)."""
    if not has_role(user):
        return False
    return (
        may_configure_teams(user)
        or may_manage_connectors(user)
        or may_see_api_tokens(user)
        or may_manage_webhooks(user)
        or may_manage_accounts(user)
        or may_manage_periodic_surveys(user)
        or may_manage_reasons(user)
    )


# Pages


def administrators():
    """Whom a person without a role should ask: the active administrators and superusers."""
    return (
        get_user_model()
        .objects.filter(Q(groups__name=Role.ADMINISTRATOR.value) | Q(is_superuser=True))
        .filter(is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def no_role_page(request) -> HttpResponse:
    context = {"administrators": administrators()[:5]}
    return render(request, "accounts/no_role.html", context, status=403)


def refused_page(request) -> HttpResponse:
    """A 403 in the site's layout that says whom to ask: the no-role page for a person without a
    role, else the administrators to ask for a page their role does not reach (the admin)."""
    if request.user.is_authenticated and not has_role(request.user):
        return no_role_page(request)
    context = {"administrators": administrators()[:5]}
    return render(request, "403.html", context, status=403)


def staff_page(may: Callable[..., bool] | None = None):
    """Decorate a page for people with a role: anonymous visitors are sent to sign in, a
    signed-in person without any role gets the page saying whom to ask, and one whose role does
    not reach this page (`may(user)` is false) a 404."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(user):
                return no_role_page(request)
            if may is not None and not may(user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
