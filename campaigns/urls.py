from django.urls import path

from .views import settings
from .views import survey as views

# The paths and names these had under followups: links in sent e-mails and bookmarks keep working.
urlpatterns = [
    path("followups/campaigns/", views.campaign_list, name="campaign-list"),
    path("followups/campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    # The settings area's section (setup/__init__.py has the convention).
    path("settings/surveys/", settings.survey_list, name="settings-surveys"),
    path("settings/surveys/new/", settings.survey_create, name="settings-survey-create"),
    path("settings/surveys/<int:pk>/", settings.survey_edit, name="settings-survey"),
    path(
        "settings/surveys/<int:pk>/preview/",
        settings.survey_preview,
        name="settings-survey-preview",
    ),
    path(
        "settings/surveys/<int:pk>/launch/", settings.survey_launch, name="settings-survey-launch"
    ),
    path(
        "settings/surveys/<int:pk>/cancel/", settings.survey_cancel, name="settings-survey-cancel"
    ),
    path("c/<str:token>/", views.campaign_survey, name="campaign-survey"),
    path("c/<str:token>/thanks/", views.campaign_thanks, name="campaign-thanks"),
    path("c/<str:token>/unsubscribe/", views.campaign_unsubscribe, name="campaign-unsubscribe"),
]
