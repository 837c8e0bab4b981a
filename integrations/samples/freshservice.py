"""Freshservice: a Workflow Automator "Trigger Webhook" action with Advanced (JSON) content.

Freshservice does not sign webhooks; the action sends the headers the administrator adds
(Authorization: Bearer <secret>, the preset's scheme) and the JSON content written in the
action, from the body in docs/integrations/freshservice.md. The values are the ticket fields of
Freshservice's own event data (https://developers.freshworks.com/docs/app-sdk/v3.0/service_ticket/serverless-apps/product-events/onticket/:
requester email, language and name, ticket status, times in UTC).
Freshservice's own reference of workflow placeholders and of the "Simple" content type was not
found in the stored material: the body follows our guide, and the connector's paths can be
changed if an account's placeholders render differently.
"""

from copy import deepcopy
from typing import Any

from .types import Sample

SOURCE = (
    "https://developers.freshworks.com/docs/app-sdk/v3.0/service_ticket/serverless-apps/"
    "product-events/onticket/"
)

TICKET = {
    "ticket_id": "INC-42",
    "ticket_subject": "Request for a second monitor",
    "ticket_status": "Closed",
    "ticket_group_name": "Hardware",
    "ticket_requester_email": "ann@example.org",
    "ticket_requester_name": "Ann de Vries",
    "ticket_requester_language": "en",
    "ticket_agent_email": "sanne@example.org",
    "ticket_agent_name": "Sanne Jansen",
    "ticket_closed_at": "2026-11-25T09:58:12Z",
}


def _body(event: str = "", **changes: Any) -> dict[str, Any]:
    ticket = {**deepcopy(TICKET), **changes}
    if event:
        ticket = {"event": event, **ticket}
    return {"freshdesk_webhook": ticket}


SAMPLES: list[Sample] = [
    {
        "name": "ticket closed (status changed to Closed)",
        "event": "closed",
        "source": SOURCE,
        "headers": {},
        "body": _body(),
    },
    {
        "name": "ticket resolved (status changed to Resolved)",
        "event": "closed",
        "source": SOURCE,
        "headers": {},
        "body": _body(ticket_status="Resolved"),
    },
    {
        "name": "ticket reopened (status changed from Closed to Open)",
        "event": "reopened",
        "source": SOURCE,
        "headers": {},
        "body": _body(ticket_status="Open", ticket_closed_at=""),
    },
    {
        "name": "closed ticket given to another group",
        "event": "reassigned",
        "source": SOURCE,
        "headers": {},
        "body": _body(
            "reassigned",
            ticket_group_name="Network",
            ticket_agent_email="piet@example.org",
            ticket_agent_name="Piet Bakker",
        ),
    },
    {
        "name": "ticket merged into another",
        "event": "merged",
        "source": SOURCE,
        "headers": {},
        "body": _body("merged"),
    },
    {
        "name": "ticket deleted",
        "event": "deleted",
        "source": SOURCE,
        "headers": {},
        "body": _body("deleted"),
    },
]
