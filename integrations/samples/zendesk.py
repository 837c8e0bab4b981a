"""Zendesk: a trigger's "Notify active webhook" action, with the JSON body our guide gives.

Zendesk sends no body of its own for ticket changes through triggers: the administrator writes
it with placeholders (docs/integrations/zendesk.md). What Zendesk documents, and these samples
copy, is what surrounds and fills that body:
- the headers of every webhook request, https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/
  (x-zendesk-account-id, x-zendesk-webhook-id, x-zendesk-webhook-invocation-id, and the
  signature and its timestamp, e.g. 2021-03-25T05:09:27Z, signed as
  https://developer.zendesk.com/documentation/webhooks/verifying/ describes);
- what each placeholder renders, https://support.zendesk.com/hc/en-us/articles/4408886858138
  ({{ticket.id}} the number as plain text, {{ticket.status}} the status's title such as
  Solved, {{ticket.updated_at_with_timestamp}} ISO 8601 to the minute in UTC such as
  2013-12-12T05:35Z, {{ticket.requester.language}} the language's name).
Deletion is not a trigger condition in Zendesk. Deleted and merged tickets come from a second
webhook subscribed to Zendesk's ticket events, which sends Zendesk's own body
(https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/ for the
top level: type, account_id, id, time, zendesk_event_version, subject "zen:ticket:<id>",
detail, event; https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events
for a ticket's detail: ids as strings, times as 2099-07-04T05:27:58Z). The event-specific
"event" object of a merge or a deletion was not shown in the stored copy: it is left empty
here, and ITPulse reads only the type and detail.id.
"""

from copy import deepcopy
from typing import Any

from .types import Sample

SOURCE = "https://developer.zendesk.com/documentation/webhooks/anatomy-of-a-webhook-request/"

TICKET = {
    "id": "4711",
    "title": "Cannot log in to the VPN",
    "status": "Solved",
    "group": "Service Desk",
    "updated_at": "2026-11-25T09:58Z",
    "requester": {"email": "ann@example.org", "name": "Ann de Vries", "language": "Nederlands"},
    "assignee": {"email": "sanne@example.org", "name": "Sanne Jansen"},
}


def _headers(invocation: str) -> dict[str, str]:
    return {
        "X-Zendesk-Account-Id": "123456",
        "X-Zendesk-Webhook-Id": "01F1KRFQ6BG29CNWFR60NK5FNY",
        "X-Zendesk-Webhook-Invocation-Id": invocation,
    }


def _body(event: str = "", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"ticket": {**deepcopy(TICKET), **changes}}
    if event:  # the guide's optional triggers add "event" as the body's first field
        body = {"event": event, **body}
    return body


EVENTS_SOURCE = "https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events"


def _event(event_type: str, event_id: str) -> dict[str, Any]:
    return {
        "type": f"zen:event-type:ticket.{event_type}",
        "account_id": 123456,
        "id": event_id,
        "time": "2026-11-25T09:59:30Z",
        "zendesk_event_version": "2022-11-06",
        "subject": "zen:ticket:4711",
        "detail": {
            "actor_id": "8447388090494",
            "assignee_id": "8447388090494",
            "brand_id": "8447346621310",
            "created_at": "2026-11-24T14:02:44Z",
            "description": "I cannot log in to the VPN since this morning.",
            "external_id": "",
            "form_id": "8646151517822",
            "group_id": "8447320466430",
            "id": "4711",
            "is_public": True,
            "organization_id": "8447346622334",
            "requester_id": "8447388090111",
            "subject": "Cannot log in to the VPN",
            "submitter_id": "8447388090111",
            "tags": [],
            "updated_at": "2026-11-25T09:59:30Z",
            "via": {"channel": "web"},
        },
        "event": {},
    }


SAMPLES: list[Sample] = [
    {
        "name": "ticket solved (trigger: status changed to Solved)",
        "event": "closed",
        "source": SOURCE,
        "headers": _headers("8350205582"),
        "body": _body(),
    },
    {
        "name": "ticket reopened (trigger: status changed from Solved)",
        "event": "reopened",
        "source": SOURCE,
        "headers": _headers("8350205583"),
        "body": _body(status="Open", updated_at="2026-11-25T09:59Z"),
    },
    {
        "name": "solved ticket given to another group (trigger: group changed)",
        "event": "reassigned",
        "source": SOURCE,
        "headers": _headers("8350205584"),
        "body": _body(
            "reassigned",
            group="Network",
            assignee={"email": "piet@example.org", "name": "Piet Bakker"},
        ),
    },
    {
        "name": "ticket merged into another (trigger: tags contain closed_by_merge)",
        "event": "merged",
        "source": SOURCE,
        "headers": _headers("8350205585"),
        "body": _body("merged", status="Closed"),
    },
    {
        "name": "ticket deleted (event webhook: Ticket soft deleted)",
        "event": "deleted",
        "source": EVENTS_SOURCE,
        "headers": _headers("8350205586"),
        "body": _event("soft_deleted", "2b24ef10-19d4-4740-93cf-8f98ec4776c0"),
    },
    {
        "name": "ticket merged into another (event webhook: Ticket merged)",
        "event": "merged",
        "source": EVENTS_SOURCE,
        "headers": _headers("8350205587"),
        "body": _event("merged", "5e0c1a7d-5a3c-4f1e-9a61-0c2b1e8f7d10"),
    },
]
