from django.urls import path

from .views import dashboard, feedback

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/teams/<slug:slug>/", dashboard.team_page, name="team-page"),
    path("dashboard/teams/<slug:slug>/export.csv", dashboard.team_export, name="team-export"),
    path("me/feedback/export.csv", feedback.my_feedback_export, name="my-feedback-export"),
    path(
        "agents/<int:pk>/feedback/export.csv",
        feedback.agent_feedback_export,
        name="agent-feedback-export",
    ),
    path("me/feedback/", feedback.my_feedback, name="my-feedback"),
    path("agents/<int:pk>/feedback/", feedback.agent_feedback, name="agent-feedback"),
]
