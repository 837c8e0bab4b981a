from django.urls import path

from . import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/teams/<slug:slug>/", views.team_page, name="team-page"),
    path("dashboard/teams/<slug:slug>/export.csv", views.team_export, name="team-export"),
]
