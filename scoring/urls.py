from django.urls import path

from . import api, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/teams/<slug:slug>/", views.team_page, name="team-page"),
    path("dashboard/teams/<slug:slug>/export.csv", views.team_export, name="team-export"),
    path("api/v1/teams/", api.team_list, name="api-team-list"),
    path("api/v1/teams/<slug:slug>/trend", api.team_trend, name="api-team-trend"),
    path("api/v1/teams/<slug:slug>/nps", api.team_nps, name="api-team-nps"),
]
