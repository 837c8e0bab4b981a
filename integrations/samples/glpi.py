"""GLPI 11: a webhook on the Ticket item type with its default payload.

GLPI 11 builds the body itself (src/Webhook.php, getWebhookBody and raise,
https://github.com/glpi-project/glpi/blob/11.0/bugfixes/src/Webhook.php): {"item": <the ticket as
the high-level API v2 returns it>, "event": <new | update | delete>}, JSON_PRETTY_PRINT, with
X-GLPI-signature = hex HMAC-SHA256 of body + timestamp and X-GLPI-timestamp = the Unix time,
queued and sent by GLPI's cron (https://help.glpi-project.org/documentation/modules/configuration/webhook).
The ticket's shape is the API v2 schema (src/Glpi/Api/HL/Controller/ITILController.php,
getRawKnownSchemas and getCleanTeam): status is an object {"id", "name"} (1 New,
2 Processing (assigned), 3 Processing (planned), 4 Pending, 5 Solved, 6 Closed), there is no
solve date, and the people are a `team` list of {"role": requester | assigned | observer,
"name" (the login), "realname", "firstname", "display_name", "href"} with no e-mail address.
The schema's date fields are left out here: their printed form was not found in the stored
material, and ITPulse reads none of them (a close is dated when it arrives).
GLPI has no reassignment or merge event for a ticket: a group or technician is a separate
item (Group_Ticket, Ticket_User), which the Ticket webhook does not report.

GLPI 10.0 has no webhooks of its own (they came with GLPI 11; third-party plugins such as
FutureProcessing/glpi-webhook add some, each with its own body): no GLPI 10 sample is kept,
as none is documented by GLPI itself.
"""

import json
from copy import deepcopy
from typing import Any

from .types import Sample

SOURCE = "https://github.com/glpi-project/glpi/blob/11.0/bugfixes/src/Webhook.php"
STATUS = {1: "New", 2: "Processing (assigned)", 5: "Solved", 6: "Closed"}

TEAM = [
    {
        "role": "requester",
        "name": "ann@example.org",  # GLPI's login; with LDAP or SSO it is often the e-mail
        "realname": "de Vries",
        "firstname": "Ann",
        "display_name": "de Vries Ann",
        "href": "/front/user.form.php?id=7",
    },
    {
        "role": "assigned",
        "name": "sanne",
        "realname": "Jansen",
        "firstname": "Sanne",
        "display_name": "Jansen Sanne",
        "href": "/front/user.form.php?id=3",
    },
    {
        "role": "assigned",
        "name": "Werkplekbeheer",
        "display_name": "Werkplekbeheer",
        "href": "/front/group.form.php?id=2",
    },
]


def _ticket(status: int) -> dict[str, Any]:
    return {
        "id": 1234,
        "name": "New laptop for the onboarding",
        "content": "<p>My laptop does not start any more.</p>",
        "is_deleted": False,
        "category": {"id": 4, "name": "Werkplekbeheer"},
        "location": None,
        "urgency": 3,
        "impact": 3,
        "priority": 3,
        "actiontime": 0,
        "type": 2,
        "external_id": "",
        "request_type": {"id": 1, "name": "Helpdesk"},
        "status": {"id": status, "name": STATUS[status]},
        "entity": {"id": 0, "name": "Root entity", "completename": "Root entity"},
        "team": deepcopy(TEAM),
    }


def _body(event: str, status: int) -> dict[str, Any]:
    # Webhook::getWebhookBody: ['item' => $api_data, 'event' => $event], in that order.
    return {"item": _ticket(status), "event": event}


def body_text(body: dict[str, Any]) -> bytes:
    """The body as GLPI prints it (json_encode with JSON_PRETTY_PRINT: four spaces, and
    slashes escaped as PHP does by default)."""
    return json.dumps(body, indent=4).replace("/", "\\/").encode()


SAMPLES: list[Sample] = [
    {
        "name": "ticket solved (event update, status 5)",
        "event": "closed",
        "source": SOURCE,
        "headers": {},
        "body": _body("update", 5),
    },
    {
        "name": "ticket closed (event update, status 6)",
        "event": "closed",
        "source": SOURCE,
        "headers": {},
        "body": _body("update", 6),
    },
    {
        "name": "solution refused, ticket back in progress (event update, status 2)",
        "event": "reopened",
        "source": SOURCE,
        "headers": {},
        "body": _body("update", 2),
    },
    {
        "name": "ticket put in the bin (event delete)",
        "event": "deleted",
        "source": SOURCE,
        "headers": {},
        "body": {"item": {**_ticket(5), "is_deleted": True}, "event": "delete"},
    },
]
