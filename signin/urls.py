"""Mounted at accounts/: allauth's pages (sign-in, sign-out, password reset and change, second
factor, single sign-on at oidc/sso/), with ITPULSE's sign-in view in front and the old names
("login", "logout") kept."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("email/", views.email_management),
    path("", include("allauth.urls")),
]
