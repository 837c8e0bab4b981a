"""A team's agents in the settings area: adding one, changing one (name, e-mail address, the
linked user account) and switching one off when they leave (never deleting: their tickets and
scores stay theirs). Who is in a team is the administrators' (accounts.access.may_manage_members);
a team or agent out of reach is a 404."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_team_to_configure, may_manage_members, staff_page
from surveys.client_address import client_address

from ..forms import AgentForm
from ..services import agent_save, agent_set_active
from .posted import posted


def _form_page(request: HttpRequest, team, form: AgentForm, agent=None) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        changed = agent_save(
            form=form, team=team, actor=request.user, ip=client_address(request) or None
        )
        if agent is None:
            messages.success(request, _("The agent is added."))
        else:
            messages.success(request, _("Saved.") if changed else _("Nothing changed."))
        return redirect("settings-team", slug=team.slug)
    status = 400 if form.errors else 200
    context = {
        "team": team,
        "form": form,
        "agent": agent,
        "tab": "members",
        "may_manage_members": True,
    }
    return render(request, "setup/team_agent_form.html", context, status=status)


@staff_page(may_manage_members)
def agent_add(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_team_to_configure(request.user, slug)
    return _form_page(request, team, AgentForm(posted(request)))


@staff_page(may_manage_members)
def agent_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = get_team_to_configure(request.user, slug)
    agent = get_object_or_404(team.agents, pk=pk)
    return _form_page(request, team, AgentForm(posted(request), instance=agent), agent)


@require_POST
@staff_page(may_manage_members)
def agent_active(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    team = get_team_to_configure(request.user, slug)
    agent = get_object_or_404(team.agents, pk=pk)
    active = request.POST.get("active") == "1"
    agent_set_active(
        agent=agent, active=active, actor=request.user, ip=client_address(request) or None
    )
    name = agent.name or agent.email
    if active:
        messages.success(request, _("%(name)s is an active agent again.") % {"name": name})
    else:
        messages.success(
            request,
            _("%(name)s is switched off: their tickets and scores stay, their account is unlinked.")
            % {"name": name},
        )
    return redirect("settings-team", slug=team.slug)
