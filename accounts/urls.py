from django.urls import path

from . import views

urlpatterns = [
    path("me/preferences/", views.preferences, name="preferences"),
]
