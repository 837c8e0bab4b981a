from django.urls import path

from .views import staff

urlpatterns = [
    path("staff/connectors/", staff.connector_list, name="connector-list"),
    path("staff/connectors/<slug:slug>/", staff.connector_detail, name="connector-detail"),
    path("staff/connectors/<slug:slug>/test/", staff.connector_test, name="connector-test"),
    path("staff/import/", staff.ticket_import, name="ticket-import"),
]
