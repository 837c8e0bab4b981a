"""Reading a value out of a tool's payload by dotted path (a.b.0.c) or JSON pointer (/a/b/0/c).

A dotted step may pick an element of a list by one of its fields: `item.team[role=requester]`
is the first element of item.team whose role is "requester". GLPI 11 lists a ticket's people
that way (its API's `team`), and the position of each person in that list is not fixed.
Paths joined by " | " are tried in turn, the first present wins: one connector can then read a
tool's two kinds of call (Zendesk's triggers send ticket.id, its events detail.id).
"""

import re
from typing import Any

from surveys.params import ascii_int

MISSING: Any = object()

# "team[role=requester]": the key, then the field and value an element must have.
_PICK = re.compile(r"^(?P<key>[^\[\]]*)\[(?P<field>[^\[\]=]+)=(?P<value>[^\[\]]*)\]$")


def _segments(path: str) -> list[str]:
    if path.startswith("/"):
        # RFC 6901: "~1" is "/", "~0" is "~" (in that order).
        return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]
    return path.split(".")


def _step(value: Any, part: str) -> Any:
    if isinstance(value, dict):
        return value.get(part, MISSING)
    if isinstance(value, list):
        index = ascii_int(part)
        if index is None or index >= len(value):
            return MISSING
        return value[index]
    return MISSING


def _pick(value: Any, field: str, wanted: str) -> Any:
    """The first element of a list that is an object whose `field` reads as `wanted`."""
    if not isinstance(value, list):
        return MISSING
    for element in value:
        if isinstance(element, dict) and as_text(element.get(field, MISSING)) == wanted:
            return element
    return MISSING


def resolve(payload: Any, path: str) -> Any:
    """The value at `path`, or MISSING when any step is absent or of the wrong type."""
    for alternative in path.split(" | "):
        value = _resolve_one(payload, alternative.strip())
        if value is not MISSING:
            return value
    return MISSING


def _resolve_one(payload: Any, path: str) -> Any:
    if not path:
        return MISSING
    value = payload
    pointer = path.startswith("/")
    for part in _segments(path):
        match = None if pointer else _PICK.match(part)
        if match:
            value = _step(value, match["key"]) if match["key"] else value
            value = _pick(value, match["field"], match["value"])
        else:
            value = _step(value, part)
        if value is MISSING:
            return MISSING
    return value


def as_text(value: Any) -> str:
    """A payload value as the text ITPulse stores; nothing, null and objects become ""."""
    if value is MISSING or value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()
