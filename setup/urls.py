from django.urls import path

from .views import accounts, hub, team_agents, team_settings, teams

urlpatterns = [
    path("settings/", hub.settings_home, name="settings-home"),
    path("settings/teams/", teams.team_list, name="settings-team-list"),
    path("settings/accounts/", accounts.account_list, name="settings-account-list"),
    path("settings/accounts/new/", accounts.account_create_view, name="settings-account-create"),
    path("settings/accounts/<int:pk>/", accounts.account_detail, name="settings-account"),
    path(
        "settings/accounts/<int:pk>/active/",
        accounts.account_active,
        name="settings-account-active",
    ),
    path(
        "settings/accounts/<int:pk>/link/",
        accounts.account_link,
        name="settings-account-link",
    ),
    # Before the team's own addresses: "new" is a reserved short name (setup/forms.py).
    path("settings/teams/new/", teams.team_create_view, name="settings-team-create"),
    path("settings/teams/<slug:slug>/", teams.team_detail, name="settings-team"),
    path("settings/teams/<slug:slug>/leads/", teams.team_lead_add, name="settings-team-lead-add"),
    path(
        "settings/teams/<slug:slug>/leads/<int:user_id>/remove/",
        teams.team_lead_remove,
        name="settings-team-lead-remove",
    ),
    path(
        "settings/teams/<slug:slug>/agents/new/",
        team_agents.agent_add,
        name="settings-team-agent-add",
    ),
    path(
        "settings/teams/<slug:slug>/agents/<int:pk>/",
        team_agents.agent_edit,
        name="settings-team-agent",
    ),
    path(
        "settings/teams/<slug:slug>/agents/<int:pk>/active/",
        team_agents.agent_active,
        name="settings-team-agent-active",
    ),
    path(
        "settings/teams/<slug:slug>/delivery/",
        team_settings.team_rules,
        name="settings-team-rules",
    ),
    path(
        "settings/teams/<slug:slug>/question/",
        team_settings.team_question,
        name="settings-team-question",
    ),
    path(
        "settings/teams/<slug:slug>/followup/",
        team_settings.team_followup,
        name="settings-team-followup",
    ),
    path(
        "settings/teams/<slug:slug>/target/",
        team_settings.team_target,
        name="settings-team-target",
    ),
    path(
        "settings/teams/<slug:slug>/anonymity/",
        team_settings.team_anonymity,
        name="settings-team-anonymity",
    ),
]
