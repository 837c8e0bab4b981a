"""A sample payload shaped by a connector's own mapping, for the "send test event" button."""

from datetime import datetime
from itertools import pairwise

from surveys.models import Team
from surveys.params import ascii_int

SAMPLE = {
    "external_id": "ITPULSE-TEST-1",
    "subject": "ITPulse test event",
    "requester_email": "requester@example.org",
    "requester_name": "Test Requester",
    "requester_language": "en",
    "agent_email": "agent@example.org",
    "agent_name": "Test Agent",
}


def _put(payload: dict, path: str, value) -> None:
    parts = path[1:].split("/") if path.startswith("/") else path.split(".")
    parts = [part.replace("~1", "/").replace("~0", "~") for part in parts]
    node = payload
    for part, following in pairwise(parts):
        if isinstance(node, list):
            while len(node) <= int(part):
                node.append([] if ascii_int(following) is not None else {})
            node = node[int(part)]
        else:
            node = node.setdefault(part, [] if ascii_int(following) is not None else {})
    last = parts[-1]
    if isinstance(node, list):
        while len(node) <= int(last):
            node.append(None)
        node[int(last)] = value
    else:
        node[last] = value


def sample_payload(connector, now: datetime) -> dict:
    """The payload the tool would send for a closed ticket, given this connector's paths."""
    payload: dict = {}
    values = {**SAMPLE, "closed_at": now.isoformat()}
    team_value = next(iter(connector.team_map), None)
    if team_value is None and connector.default_team:
        team_value = connector.default_team.slug
    if team_value is None:  # no mapping at all: the tool sends team slugs
        team_value = Team.objects.values_list("slug", flat=True).first() or ""
    values["team"] = team_value
    for key, value in values.items():
        path = connector.mapping.get(key)
        if path:
            _put(payload, path, value)
    closed_rule = next(
        (
            (rule, native)
            for rule in connector.events
            for native, event in rule.get("values", {}).items()
            if event == "closed" and "path" in rule
        ),
        None,
    )
    if closed_rule:
        rule, native = closed_rule
        _put(payload, rule["path"], native)
    return payload
