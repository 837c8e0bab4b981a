from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from itpulse.views import home

handler400 = "itpulse.views.bad_request"
handler404 = "itpulse.views.not_found"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("surveys.delivery.urls")),
    path("", include("surveys.urls")),
    path("", include("scoring.urls")),
    path("", include("integrations.urls")),
    path("", include("followups.urls")),
    path("", include("audit.urls")),
]

if settings.ANYMAIL["WEBHOOK_SECRET"]:
    # Bounce/complaint webhooks, e.g. /anymail/postmark/tracking/ (basic auth: the secret).
    urlpatterns.append(path("anymail/", include("anymail.urls")))
