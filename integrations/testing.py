"""The "send test event" button's call: the tool's own documented closing call (samples/).

Only the team is changed, to one the connector knows, so that the test says whether the rest
of the tool's call (its fields, its dates, its statuses) gets through this connector's paths
and rules: a connector whose paths do not fit what the tool sends fails the test, as the tool's
real calls would.
"""

from itertools import pairwise
from typing import Any

from surveys.models import Team
from surveys.params import ascii_int

from .models import Connector
from .samples import closing, encode


def _put(payload: dict, path: str, value: Any) -> None:
    parts = path[1:].split("/") if path.startswith("/") else path.split(".")
    parts = [part.replace("~1", "/").replace("~0", "~") for part in parts]
    node: Any = payload
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


def _known_team(connector: Connector) -> str | None:
    """A value of the tool's team field that this connector maps to a team, if any."""
    value = next(iter(connector.team_map), None)
    if value is None and connector.default_team:
        value = connector.default_team.slug
    if value is None:  # no mapping at all: the tool sends team slugs
        value = Team.objects.values_list("slug", flat=True).first()
    return value


def sample_call(connector: Connector) -> tuple[bytes, dict[str, str]]:
    """The body and the tool's own headers (not its signature) for the button's test call."""
    sample = closing(connector.kind)
    payload = sample["body"]
    path = connector.mapping.get("team", "").split(" | ")[0].strip()
    team = _known_team(connector)
    # A path that picks from a list ([field=value]) cannot be written: the sample keeps its own.
    if team is not None and path and "[" not in path:
        _put(payload, path, team)
    return encode(connector.kind, payload), dict(sample["headers"])
