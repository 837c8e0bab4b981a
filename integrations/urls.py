from django.urls import path

from surveys.moved import moved

from .views import settings, staff

urlpatterns = [
    path("settings/connectors/", settings.connector_list, name="settings-connector-list"),
    # Before a connector's own addresses: "new" is a reserved short name (connector_forms.py).
    path("settings/connectors/new/", settings.connector_create, name="settings-connector-create"),
    path("settings/connectors/<slug:slug>/", settings.connector_detail, name="settings-connector"),
    path(
        "settings/connectors/<slug:slug>/edit/",
        settings.connector_edit,
        name="settings-connector-edit",
    ),
    path(
        "settings/connectors/<slug:slug>/active/",
        settings.connector_active,
        name="settings-connector-active",
    ),
    path(
        "settings/connectors/<slug:slug>/secret/",
        settings.connector_secret,
        name="settings-connector-secret",
    ),
    path(
        "settings/connectors/<slug:slug>/test/",
        settings.connector_test,
        name="settings-connector-test",
    ),
    # The staff pages of before (links in notes, bookmarks, the set-up guides): moved for good.
    path("staff/connectors/", moved("settings-connector-list"), name="connector-list"),
    path("staff/connectors/<slug:slug>/", moved("settings-connector"), name="connector-detail"),
    path(
        "staff/connectors/<slug:slug>/test/",
        moved("settings-connector-test", keep_method=True),
        name="connector-test",
    ),
    path("staff/import/", staff.ticket_import, name="ticket-import"),
]
