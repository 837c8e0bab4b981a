from django.urls import path

from .views import dashboard, feedback

# Every CSV export has an .xlsx twin at the same address ending in .xlsx (issue 17).
XLSX = {"extension": "xlsx"}

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/teams/<slug:slug>/", dashboard.team_page, name="team-page"),
    path("dashboard/teams/<slug:slug>/export.csv", dashboard.team_export, name="team-export"),
    path(
        "dashboard/teams/<slug:slug>/export.xlsx",
        dashboard.team_export,
        XLSX,
        name="team-export-xlsx",
    ),
    path("me/feedback/export.csv", feedback.my_feedback_export, name="my-feedback-export"),
    path(
        "me/feedback/export.xlsx",
        feedback.my_feedback_export,
        XLSX,
        name="my-feedback-export-xlsx",
    ),
    path(
        "agents/<int:pk>/feedback/export.csv",
        feedback.agent_feedback_export,
        name="agent-feedback-export",
    ),
    path(
        "agents/<int:pk>/feedback/export.xlsx",
        feedback.agent_feedback_export,
        XLSX,
        name="agent-feedback-export-xlsx",
    ),
    path("me/feedback/", feedback.my_feedback, name="my-feedback"),
    path("agents/<int:pk>/feedback/", feedback.agent_feedback, name="agent-feedback"),
]
