"""The team set-up: the teams this person may configure, creating one (administrators), and a
team's page with its members and leads. Leads are given and taken through accounts' role
services, which write the audit trail."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import (
    get_team_to_configure,
    may_configure_teams,
    may_create_teams,
    may_manage_members,
    staff_page,
    teams_configurable_by,
)
from accounts.roles import Role
from accounts.services import role_grant, role_revoke
from surveys.client_address import client_address

from ..forms import LeadForm, TeamCreateForm
from ..services import team_create
from .posted import posted


@staff_page(may_configure_teams)
def team_list(request: HttpRequest) -> HttpResponse:
    teams = teams_configurable_by(request.user).order_by("name")
    context = {"teams": teams, "may_create": may_create_teams(request.user)}
    return render(request, "setup/team_list.html", context)


@staff_page(may_create_teams)
def team_create_view(request: HttpRequest) -> HttpResponse:
    form = TeamCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        team = team_create(
            name=form.cleaned_data["name"],
            slug=form.cleaned_data["slug"],
            actor=request.user,
            ip=client_address(request) or None,
        )
        messages.success(request, _("The team is created. Next: its members and its rules."))
        return redirect("settings-team", slug=team.slug)
    status = 400 if form.errors else 200
    return render(request, "setup/team_create.html", {"form": form}, status=status)


def _team_page(request: HttpRequest, team, lead_form: LeadForm | None, status: int = 200):
    manage = may_manage_members(request.user)
    context = {
        "team": team,
        "tab": "members",
        "agents": team.agents.select_related("user").order_by("-active", "name", "email"),
        "leads": team.leads.order_by("last_name", "first_name", "username"),
        "may_manage_members": manage,
        "lead_form": lead_form if manage else None,
    }
    return render(request, "setup/team_detail.html", context, status=status)


@staff_page(may_configure_teams)
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_team_to_configure(request.user, slug)
    return _team_page(request, team, LeadForm(team=team))


@require_POST
@staff_page(may_manage_members)
def team_lead_add(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_team_to_configure(request.user, slug)
    form = LeadForm(request.POST, team=team)
    if not form.is_valid():
        return _team_page(request, team, form, status=400)
    lead = form.cleaned_data["user"]
    role_grant(user=lead, role=Role.TEAM_LEAD, team=team, actor=request.user)
    messages.success(
        request, _("%(name)s now leads %(team)s.") % {"name": _name(lead), "team": team.name}
    )
    return redirect("settings-team", slug=team.slug)


@require_POST
@staff_page(may_manage_members)
def team_lead_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    team = get_team_to_configure(request.user, slug)
    lead = get_object_or_404(team.leads, pk=user_id)
    role_revoke(user=lead, role=Role.TEAM_LEAD, team=team, actor=request.user)
    messages.success(
        request,
        _("%(name)s no longer leads %(team)s.") % {"name": _name(lead), "team": team.name},
    )
    return redirect("settings-team", slug=team.slug)


def _name(user) -> str:
    return user.get_full_name() or user.get_username()
