from django.urls import path

from .views import hub, teams

urlpatterns = [
    path("settings/", hub.settings_home, name="settings-home"),
    path("settings/teams/", teams.team_list, name="settings-team-list"),
]
