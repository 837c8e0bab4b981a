from django.urls import path

from . import api, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("api/v1/teams/", api.team_list, name="api-team-list"),
    path("api/v1/teams/<slug:slug>/nps", api.team_nps, name="api-team-nps"),
]
