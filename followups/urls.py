from django.urls import path

from .views import cases, feedback, reasons

urlpatterns = [
    path("followups/", cases.case_list, name="followup-list"),
    path("followups/<int:pk>/", cases.case_detail, name="followup-detail"),
    path("followups/<int:pk>/status/", cases.case_status, name="followup-status"),
    path("followups/<int:pk>/owner/", cases.case_owner, name="followup-owner"),
    path("followups/<int:pk>/notes/", cases.case_note, name="followup-note"),
    path("followups/teams/<slug:slug>/", cases.team_followups, name="followup-team"),
    path(
        "followups/teams/<slug:slug>/reasons/", reasons.team_reasons, name="followup-team-reasons"
    ),
    path("followups/responses/<int:pk>/tags/", reasons.response_tags, name="response-tags"),
    path("me/feedback/export.csv", feedback.my_feedback_export, name="my-feedback-export"),
    path(
        "agents/<int:pk>/feedback/export.csv",
        feedback.agent_feedback_export,
        name="agent-feedback-export",
    ),
    path("me/feedback/", feedback.my_feedback, name="my-feedback"),
    path("agents/<int:pk>/feedback/", feedback.agent_feedback, name="agent-feedback"),
]
