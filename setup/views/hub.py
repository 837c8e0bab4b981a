"""The settings hub: the sections this person's role reaches, each with a line on what it is."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import may_open_settings, staff_page

from ..sections import sections_for


@staff_page(may_open_settings)
def settings_home(request: HttpRequest) -> HttpResponse:
    return render(request, "setup/home.html", {"sections": sections_for(request.user)})
