"""A team's settings, one page per part: when and to whom its survey goes (delivery's rule),
its question, its follow-up threshold, and its anonymity (administrators only).

Leads change these for the teams they lead, IT managers and administrators for every team
(accounts.access.teams_configurable_by); a team out of reach is a 404."""

from django.contrib import messages
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.access import (
    get_team_to_configure,
    may_configure_teams,
    may_manage_members,
    staff_page,
)
from delivery.models import DeliveryRule
from delivery.rules import rule_for
from followups.models import TeamRules
from scoring.targets import target_for
from surveys.client_address import client_address
from surveys.models import Team
from surveys.questions import measure_label

from ..forms import AnonymityForm, DeliveryRuleForm, FollowUpForm, QuestionForm, TargetForm
from ..services import team_settings_save, team_target_save
from .posted import posted


def _form_page(
    request: HttpRequest, team: Team, form: ModelForm, *, section: str, template: str, **extra
) -> HttpResponse:
    """Save a valid POST (and redirect back, saying so), else show the form: with its errors
    and a 400 after a wrong POST, so that nothing was written."""
    if request.method == "POST" and form.is_valid():
        changed = team_settings_save(
            form=form,
            team=team,
            section=section,
            actor=request.user,
            ip=client_address(request) or None,
        )
        messages.success(request, _("Saved.") if changed else _("Nothing changed."))
        return redirect(request.path)
    status = 400 if form.errors else 200
    context = {
        "team": team,
        "form": form,
        "tab": section,
        "may_manage_members": may_manage_members(request.user),
        **extra,
    }
    return render(request, template, context, status=status)


_RULE_FIELDS = DeliveryRuleForm.Meta.fields


@staff_page(may_configure_teams)
def team_rules(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_team_to_configure(request.user, slug)
    rule = DeliveryRule.objects.filter(team=team).first()
    inherited = rule is None
    if rule is None:
        # Start from what applies today (the organisation's default rule), so that saving
        # without a change keeps the team's surveys going out as before.
        current = rule_for(team)
        rule = DeliveryRule(team=team, **{name: getattr(current, name) for name in _RULE_FIELDS})
    form = DeliveryRuleForm(posted(request), instance=rule)
    return _form_page(
        request,
        team,
        form,
        section="delivery",
        template="setup/team_rules.html",
        inherited=inherited,
    )


@staff_page(may_configure_teams)
def team_question(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_team_to_configure(request.user, slug)
    form = QuestionForm(posted(request), instance=team)
    return _form_page(request, team, form, section="question", template="setup/team_form.html")


@staff_page(may_configure_teams)
def team_followup(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_team_to_configure(request.user, slug)
    form = FollowUpForm(posted(request), instance=TeamRules.for_team(team.pk))
    return _form_page(request, team, form, section="followup", template="setup/team_form.html")


@staff_page(may_manage_members)
def team_anonymity(request: HttpRequest, slug: str) -> HttpResponse:
    team = get_team_to_configure(request.user, slug)
    form = AnonymityForm(posted(request), instance=team)
    return _form_page(request, team, form, section="anonymity", template="setup/team_form.html")


@staff_page(may_configure_teams)
def team_target(request: HttpRequest, slug: str) -> HttpResponse:
    """The target of the team's current question type's series (an earlier series keeps its
    own); leads for their teams, IT managers and administrators for every team."""
    team = get_team_to_configure(request.user, slug)
    current = target_for(team)
    form = TargetForm(posted(request), initial={"value": current}, question_type=team.question_type)
    if request.method == "POST" and form.is_valid():
        changed = team_target_save(
            team=team,
            value=form.cleaned_data["value"],
            actor=request.user,
            ip=client_address(request) or None,
        )
        messages.success(request, _("Saved.") if changed else _("Nothing changed."))
        return redirect(request.path)
    context = {
        "team": team,
        "form": form,
        "tab": "target",
        "may_manage_members": may_manage_members(request.user),
        "measure": measure_label(team.question_type),
    }
    return render(request, "setup/team_target.html", context, status=400 if form.errors else 200)
