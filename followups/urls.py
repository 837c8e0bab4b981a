from django.urls import path

from .views import cases, reasons

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
]
