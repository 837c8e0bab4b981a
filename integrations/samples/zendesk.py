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
Deletion is not a trigger condition in Zendesk: a deleted ticket is never reported this way.
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
]
