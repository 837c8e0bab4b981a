from django.urls import path

from .views import batch, docs, hooks, staff

urlpatterns = [
    path("api/v1/openapi.json", docs.openapi_json, name="api-openapi"),
    path("api/v1/docs/", docs.api_docs, name="api-docs"),
    path("staff/connectors/", staff.connector_list, name="connector-list"),
    path("staff/connectors/<slug:slug>/", staff.connector_detail, name="connector-detail"),
    path("staff/connectors/<slug:slug>/test/", staff.connector_test, name="connector-test"),
    path("staff/import/", staff.ticket_import, name="ticket-import"),
    path("api/v1/hooks/<str:slug>", hooks.hook, name="api-hook"),
    path(
        "api/v1/tickets/closed/batch", batch.tickets_closed_batch, name="api-tickets-closed-batch"
    ),
]
