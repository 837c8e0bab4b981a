"""Signatures per the Standard Webhooks specification (www.standardwebhooks.com, "Signature
scheme"): each delivery carries webhook-id (the message's id, the same on every try),
webhook-timestamp (Unix seconds of this try) and webhook-signature, "v1," and the base64
HMAC-SHA256 of "<id>.<timestamp>.<body>" under the secret's bytes (the base64 after "whsec_").

A few lines of the standard library; the tests check them against the specification's own
Python library (standardwebhooks), which receivers use to verify.
"""

import base64
import hashlib
import hmac

from .models import SECRET_PREFIX


def secret_key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def signed_headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
