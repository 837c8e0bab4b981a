"""ServiceNow: a business rule on the Incident table posting with RESTMessageV2.

ServiceNow has no webhook body of its own: the business rule in docs/integrations/servicenow.md
builds it, and sends Authorization: Bearer <secret> (from a system property) and
X-ITPulse-Delivery = sys_id-sys_mod_count with RESTMessageV2's setRequestHeader
(https://developer.servicenow.com/dev.do#!/reference/api/latest/server/sn_ws-namespace/c_RESTMessageV2API).
The values are what GlideRecord.getValue returns for an incident: number INC0010042, state as
a digit string (1 New, 2 In Progress, 3 On Hold, 6 Resolved, 7 Closed, 8 Canceled), times in
UTC as 2026-11-25 09:58:12, which the rule turns into ISO 8601 with a Z.
"""

from copy import deepcopy
from typing import Any

from .types import Sample

SOURCE = (
    "https://developer.servicenow.com/dev.do#!/reference/api/latest/server/"
    "sn_ws-namespace/c_RESTMessageV2API"
)

INCIDENT = {
    "number": "INC0010042",
    "short_description": "Teams calls drop after a minute",
    "state": "6",
    "closed_at": "2026-11-25T09:58:12Z",
    "caller": {"email": "ann@example.org", "name": "Ann de Vries", "language": "en"},
    "assigned_to": {"email": "sanne@example.org", "name": "Sanne Jansen"},
    "assignment_group": "Network",
}


def _sample(name: str, event: str, count: int, explicit: str = "", **changes: Any) -> Sample:
    body = {**deepcopy(INCIDENT), **changes}
    if explicit:
        body = {"event": explicit, **body}
    return {
        "name": name,
        "event": event,
        "source": SOURCE,
        "headers": {"X-ITPulse-Delivery": f"9d385017c611228701d22104cc95c371-{count}"},
        "body": body,
    }


SAMPLES: list[Sample] = [
    _sample("incident resolved (state 6)", "closed", 7),
    _sample("incident closed (state 7)", "closed", 8, state="7"),
    _sample("incident reopened (state 2)", "reopened", 9, state="2", closed_at="Z"),
    _sample(
        "resolved incident given to another group",
        "reassigned",
        10,
        "reassigned",
        assignment_group="Workplace",
        assigned_to={"email": "piet@example.org", "name": "Piet Bakker"},
    ),
    _sample("incident canceled (state 8)", "deleted", 11, state="8"),
]
