from django.urls import path

from . import views

# The paths and names these had under followups: links in sent e-mails and bookmarks keep working.
urlpatterns = [
    path("followups/campaigns/", views.campaign_list, name="campaign-list"),
    path("followups/campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("c/<str:token>/", views.campaign_survey, name="campaign-survey"),
    path("c/<str:token>/thanks/", views.campaign_thanks, name="campaign-thanks"),
    path("c/<str:token>/unsubscribe/", views.campaign_unsubscribe, name="campaign-unsubscribe"),
]
