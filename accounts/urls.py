from django.urls import path

from audit.views import events

from . import views
from .access import may_read_audit, staff_page

urlpatterns = [
    path("me/preferences/", views.preferences, name="preferences"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The audit app imports none of ours: its page is guarded here, like every other page.
    path("audit/", staff_page(may_read_audit)(events), name="audit-events"),
]
