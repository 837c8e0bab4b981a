"""TOPdesk: an action sequence's HTTP request step, with the body our guide gives.

TOPdesk sends what the application manager composes in the step (body and headers, fixed text
with placeholders; https://docs.topdesk.com/en/composing-your-action-sequence.html): it cannot
compute a signature, so the connector's secret travels as a fixed header,
Authorization: Bearer <secret>, which is the preset's scheme. The body's fields carry the
names and forms of TOPdesk's incident API (https://developers.topdesk.com/explorer/?page=incident),
as a TOPdesk 10.08 instance returned them to Cortex XSOAR's integration tests
(https://github.com/demisto/content/blob/master/Packs/TOPdesk/Integrations/TOPdesk/test_data/topdesk_incident.json):
number such as "I 2611 042", closed true/false, closedDate 2021-02-11T06:32:36.303+0000,
processingStatus, operator and operatorGroup as {"id", "name"}, caller with dynamicName.
The TOPdesk documentation of an action sequence's placeholders was not found in the stored
material; the guide names the fields to fill rather than their placeholder syntax.
"""

from copy import deepcopy
from typing import Any

from .types import Sample

SOURCE = "https://docs.topdesk.com/en/composing-your-action-sequence.html"

INCIDENT = {
    "id": "8f0b4fe2-3fd2-4c0f-9d0f-0a0b1c2d3e4f",
    "number": "I 2611 042",
    "briefDescription": "Outlook keeps asking for a password",
    "closed": True,
    "closedDate": "2026-11-25T09:58:12.000+0000",
    "completed": True,
    "completedDate": "2026-11-25T09:58:12.000+0000",
    "processingStatus": {"id": "c1d2e3f4-0000-4000-8000-000000000006", "name": "Closed"},
    "caller": {
        "id": "a1b2c3d4-0000-4000-8000-000000000001",
        "dynamicName": "Ann de Vries",
        "email": "ann@example.org",
    },
    "operator": {
        "id": "f3e4d5c6-0000-4000-8000-000000000002",
        "name": "Sanne Jansen",
        "email": "sanne@example.org",
    },
    "operatorGroup": {"id": "9a8b7c6d-0000-4000-8000-000000000003", "name": "Servicedesk"},
}


def _body(event: str = "", **changes: Any) -> dict[str, Any]:
    body = {**deepcopy(INCIDENT), **changes}
    return {"event": event, **body} if event else body


SAMPLES: list[Sample] = [
    {
        "name": "incident closed (sequence on Closed = yes)",
        "event": "closed",
        "source": SOURCE,
        "headers": {},
        "body": _body(),
    },
    {
        "name": "incident reopened (sequence on Closed = no)",
        "event": "reopened",
        "source": SOURCE,
        "headers": {},
        "body": _body(
            closed=False,
            closedDate=None,
            completed=False,
            completedDate=None,
            processingStatus={"id": "c1d2e3f4-0000-4000-8000-000000000002", "name": "In progress"},
        ),
    },
    {
        "name": "closed incident given to another operator group",
        "event": "reassigned",
        "source": SOURCE,
        "headers": {},
        "body": _body(
            "reassigned",
            operator={
                "id": "0b1c2d3e-0000-4000-8000-000000000004",
                "name": "Piet Bakker",
                "email": "piet@example.org",
            },
            operatorGroup={"id": "1c2d3e4f-0000-4000-8000-000000000005", "name": "Network"},
        ),
    },
    {
        "name": "incident archived",
        "event": "deleted",
        "source": SOURCE,
        "headers": {},
        "body": _body("deleted"),
    },
]
