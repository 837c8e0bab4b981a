from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from itpulse.adminsite import refuse_outsiders
from itpulse.health import health
from itpulse.views import home

handler400 = "itpulse.views.bad_request"
handler403 = "itpulse.views.permission_denied"
handler404 = "itpulse.views.not_found"
handler500 = "itpulse.views.server_error"
# The admin's own password form would bypass the lockout, the second factor and
# ITPULSE_LOCAL_LOGIN: its sign-in is ours.
# (mypy forbids assigning to a method; replacing the bound method on this one site is the point.)
admin.site.login = secure_admin_login(refuse_outsiders(admin.site.login))  # type: ignore[method-assign]
# A signed-in person the admin is not for gets the page saying whom to ask, not its sign-in form.
admin.site.admin_view = refuse_outsiders(admin.site.admin_view, wraps_views=True)  # type: ignore[method-assign]

urlpatterns = [
    path("", home, name="home"),
    path("health/", health, name="health"),
    path("accounts/", include("signin.urls")),
    # Periodic surveys moved from followups to campaigns (issue 15): the admin's old addresses
    # (bookmarks, links in notes) lead to the same pages.
    re_path(
        r"^admin/followups/campaign/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/campaigns/campaign/%(rest)s", query_string=True),
        name="admin-campaign-moved",
    ),
    path("admin/", admin.site.urls),
    # i18n/setlang/ (the language switch) is accounts': signed in, it saves the preference too.
    path("", include("api.urls")),
    path("", include("delivery.urls")),
    path("", include("surveys.urls")),
    path("", include("scoring.urls")),
    path("", include("integrations.urls")),
    path("", include("followups.urls")),
    path("", include("campaigns.urls")),
    path("", include("ratings.urls")),
    path("", include("webhooks.urls")),
    path("", include("accounts.urls")),
    path("", include("setup.urls")),
]

if settings.ANYMAIL["WEBHOOK_SECRET"]:
    # Bounce/complaint webhooks, e.g. /anymail/postmark/tracking/ (basic auth: the secret).
    urlpatterns.append(path("anymail/", include("anymail.urls")))
