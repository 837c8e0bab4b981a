from django.urls import path

from . import batch, docs, events, hooks, responses, teams, tickets

urlpatterns = [
    path("api/v1/openapi.json", docs.openapi_json, name="api-openapi"),
    path("api/v1/docs/", docs.api_docs, name="api-docs"),
    path("api/v1/tickets/closed", tickets.tickets_closed, name="api-tickets-closed"),
    path(
        "api/v1/tickets/closed/batch", batch.tickets_closed_batch, name="api-tickets-closed-batch"
    ),
    path(
        "api/v1/tickets/<str:source>/<str:external_id>/events",
        events.ticket_events,
        name="api-ticket-events",
    ),
    path("api/v1/hooks/<str:slug>", hooks.hook, name="api-hook"),
    path("api/v1/responses", responses.response_list, name="api-response-list"),
    path("api/v1/teams/", teams.team_list, name="api-team-list"),
    path("api/v1/teams/<slug:slug>/trend", teams.team_trend, name="api-team-trend"),
    path("api/v1/teams/<slug:slug>/nps", teams.team_nps, name="api-team-nps"),
]
