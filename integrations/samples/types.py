"""The shape of one documented webhook call (see __init__.py)."""

from typing import Any, TypedDict


class Sample(TypedDict):
    """One call as the tool makes it, and what ITPulse should make of it."""

    name: str  # what happened in the tool, e.g. "ticket solved"
    event: str  # ITPulse's event for it: closed, reopened, reassigned, merged, deleted
    source: str  # the page or source file the shape and headers are copied from
    headers: dict[str, str]  # headers the tool sends besides its signature or token
    body: dict[str, Any]
