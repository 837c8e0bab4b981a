"""The team set-up: the teams this person may configure, and creating one (administrators)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import may_configure_teams, may_create_teams, staff_page, teams_configurable_by


@staff_page(may_configure_teams)
def team_list(request: HttpRequest) -> HttpResponse:
    teams = teams_configurable_by(request.user).order_by("name")
    context = {"teams": teams, "may_create": may_create_teams(request.user)}
    return render(request, "setup/team_list.html", context)
