"""Webhook calls as each tool documents them: one set per tool, in one place.

The tests feed these to the connectors (tests/test_real_payloads.py) and the "Send test event"
button runs a tool's closing call through its connector (integrations/testing.py), so that both
prove something about the tool rather than about ITPulse's own idea of it. Each module says
where its shapes and headers come from; a module's first sample is the ticket closing.
"""

import json
from copy import deepcopy

from . import freshservice, generic, glpi, jira, servicenow, topdesk, zendesk
from .types import Sample

SAMPLES: dict[str, list[Sample]] = {
    "jira": jira.SAMPLES,
    "zendesk": zendesk.SAMPLES,
    "glpi": glpi.SAMPLES,
    "topdesk": topdesk.SAMPLES,
    "servicenow": servicenow.SAMPLES,
    "freshservice": freshservice.SAMPLES,
    "generic": generic.SAMPLES,
}

__all__ = ["SAMPLES", "Sample", "closing", "encode"]


def closing(kind: str) -> Sample:
    """A fresh copy of the tool's call for a ticket that closes."""
    return deepcopy(SAMPLES[kind][0])


def encode(kind: str, body: dict) -> bytes:
    """The body's bytes as the tool prints them (the signature covers exactly these)."""
    if kind == "glpi":
        return glpi.body_text(body)
    return json.dumps(body).encode()
