"""Helpers for webhook tests: the tools' documented calls and signatures made the way each tool
makes them.

The calls are integrations/samples/ (the same ones the "send test event" button sends), each
with the link to the documentation or source it is copied from. The signing here is written
from each tool's documentation, independently of integrations/signatures.py, so that a mistake
there cannot hide behind the same mistake here.
"""

import base64
import hashlib
import hmac

from integrations.samples import closing, encode
from integrations.services import connector_create

NATIVE_TEAMS = {
    "jira": "Workplace support",
    "zendesk": "Service Desk",
    "glpi": "Werkplekbeheer",  # GLPI 11: the ticket's category
    "topdesk": "Servicedesk",
    "servicenow": "Network",
    "freshservice": "Hardware",
    "generic": "workplace",
}
EXTERNAL_IDS = {
    "jira": "SD-123",
    "zendesk": "4711",
    "glpi": "1234",
    "topdesk": "I 2611 042",
    "servicenow": "INC0010042",
    "freshservice": "INC-42",
    "generic": "42",
}


def payload(kind: str) -> dict:
    """The tool's documented call for a ticket that closes (a fresh copy to change)."""
    return closing(kind)["body"]


def connector_for(kind: str, team, **fields):
    mapping = {NATIVE_TEAMS[kind]: team.slug} if kind != "generic" else {}
    return connector_create(
        name=kind.title(), slug=kind, kind=kind, team_map=mapping, secret="s3cret-" + kind, **fields
    )


def _mac(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def signed_headers(connector, body: bytes, unix: int) -> dict:
    secret = connector.secret
    if connector.scheme == "bearer":
        headers = {"Authorization": f"Bearer {secret}"}
    elif connector.scheme == "zendesk":
        from datetime import UTC, datetime

        stamp = datetime.fromtimestamp(unix, UTC).isoformat().replace("+00:00", "Z")
        headers = {
            "X-Zendesk-Webhook-Signature": base64.b64encode(
                _mac(secret, stamp.encode() + body)
            ).decode(),
            "X-Zendesk-Webhook-Signature-Timestamp": stamp,
        }
    elif connector.scheme == "hub":
        headers = {"X-Hub-Signature": "sha256=" + _mac(secret, body).hex()}
    elif connector.scheme == "glpi":
        headers = {
            "X-GLPI-signature": _mac(secret, body + str(unix).encode()).hex(),
            "X-GLPI-timestamp": str(unix),
        }
    else:
        mac = _mac(secret, f"{unix}.".encode() + body).hex()
        headers = {"X-ITPulse-Signature": f"t={unix},v1={mac}"}
    return headers


def post_hook(client, connector, data, *, unix=None, headers=None, raw=None, extra=None):
    """POST as the tool would: its body's bytes, its signature and `extra` headers it sends."""
    from tests.conftest import NOW

    body = raw if raw is not None else encode(connector.kind, data)
    unix = int(NOW.timestamp()) if unix is None else unix
    sent = signed_headers(connector, body, unix) if headers is None else headers
    sent = {**(extra or {}), **sent}
    return client.post(
        f"/api/v1/hooks/{connector.slug}",
        body,
        content_type="application/json",
        headers=sent,
    )
