from django.urls import path

from .views import cases, reasons, settings

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
    # The settings area's section (setup/__init__.py has the convention).
    path("settings/reasons/", settings.reason_list, name="settings-reasons"),
    path("settings/reasons/new/", settings.reason_create, name="settings-reason-create"),
    path("settings/reasons/<int:pk>/", settings.reason_edit, name="settings-reason"),
    path(
        "settings/reasons/keywords/new/",
        settings.keyword_rule_create,
        name="settings-keyword-rule-create",
    ),
    path(
        "settings/reasons/keywords/<int:pk>/",
        settings.keyword_rule_edit,
        name="settings-keyword-rule",
    ),
]
