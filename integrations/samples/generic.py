"""Other tools and scripts: ITPulse's own body (docs/integrations/generic.md), signed with
X-ITPulse-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>." + body>."""

from copy import deepcopy
from typing import Any

from .types import Sample

SOURCE = "docs/integrations/generic.md"

TICKET = {
    "external_id": "42",
    "subject": "Password reset",
    "team": "workplace",
    "requester": {"email": "ann@example.org", "name": "Ann de Vries", "language": "nl"},
    "agent": {"email": "sanne@example.org", "name": "Sanne Jansen"},
    "closed_at": "2026-11-25T09:58:12Z",
}


def _sample(event: str, delivery: str, **changes: Any) -> Sample:
    return {
        "name": f"ticket {event}",
        "event": event,
        "source": SOURCE,
        "headers": {"X-ITPulse-Delivery": delivery},
        "body": {"event": event, **deepcopy(TICKET), **changes},
    }


SAMPLES: list[Sample] = [
    _sample("closed", "script-1"),
    _sample("reopened", "script-2"),
    _sample("reassigned", "script-3", team="network", agent={"email": "piet@example.org"}),
    _sample("merged", "script-4"),
    _sample("deleted", "script-5"),
]
