from django.urls import path

from .views import hooks

urlpatterns = [
    path("api/v1/hooks/<slug:slug>", hooks.hook, name="api-hook"),
]
