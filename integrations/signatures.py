"""Checking that a webhook call comes from the tool, in each tool's own signing scheme.

Every comparison goes through hmac.compare_digest so that the time taken does not tell an
attacker how much of a guessed signature was right. Schemes with a timestamp also refuse
calls outside the connector's tolerance, so a captured call cannot be replayed later.
"""

import base64
import hashlib
import hmac
from datetime import UTC, datetime

from django.utils.translation import gettext as _


class SignatureError(Exception):
    """Why a call was refused; the message is shown in the connector's delivery log."""


def _hmac(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode(), message, hashlib.sha256).digest()


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def _check_time(moment: datetime, now: datetime, tolerance: int) -> None:
    if abs((now - moment).total_seconds()) > tolerance:
        raise SignatureError(
            _("The timestamp is outside the allowed %(seconds)s seconds.") % {"seconds": tolerance}
        )


def _unix(raw: str) -> datetime:
    try:
        return datetime.fromtimestamp(int(raw), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise SignatureError(_("The timestamp is not a Unix time.")) from None


def _require(headers, name: str) -> str:
    value = headers.get(name, "")
    if not value:
        raise SignatureError(_("The %(header)s header is missing.") % {"header": name})
    return value


def check_bearer(secret, headers, body, now, tolerance):
    raw = _require(headers, "Authorization")
    scheme, _sep, token = raw.partition(" ")
    if scheme.lower() != "bearer" or not _same(token, secret):
        raise SignatureError(_("The bearer token is wrong."))


def check_zendesk(secret, headers, body, now, tolerance):
    # https://developer.zendesk.com/documentation/webhooks/verifying/
    signature = _require(headers, "X-Zendesk-Webhook-Signature")
    stamp = _require(headers, "X-Zendesk-Webhook-Signature-Timestamp")
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        raise SignatureError(_("The timestamp is not an ISO 8601 time.")) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    expected = base64.b64encode(_hmac(secret, stamp.encode() + body)).decode()
    if not _same(signature, expected):
        raise SignatureError(_("The signature does not match."))
    _check_time(moment, now, tolerance)


def check_hub(secret, headers, body, now, tolerance):
    # Jira webhooks with a secret: X-Hub-Signature: sha256=<hex HMAC of the body>.
    signature = _require(headers, "X-Hub-Signature")
    algorithm, _sep, digest = signature.partition("=")
    if algorithm != "sha256" or not _same(digest, _hmac(secret, body).hex()):
        raise SignatureError(_("The signature does not match."))


def check_glpi(secret, headers, body, now, tolerance):
    # GLPI 10+ (src/Webhook.php): hex HMAC-SHA256 of body . timestamp, Unix timestamp.
    signature = _require(headers, "X-GLPI-signature")
    stamp = _require(headers, "X-GLPI-timestamp")
    if not _same(signature, _hmac(secret, body + stamp.encode()).hex()):
        raise SignatureError(_("The signature does not match."))
    _check_time(_unix(stamp), now, tolerance)


def check_generic(secret, headers, body, now, tolerance):
    # X-ITPulse-Signature: t=<unix>,v1=<hex HMAC of "<t>." + body>; several v1 during a rotation.
    raw = _require(headers, "X-ITPulse-Signature")
    parts = [item.partition("=") for item in raw.split(",")]
    stamps = [value.strip() for key, _sep, value in parts if key.strip() == "t"]
    given = [value for key, _sep, value in parts if key.strip() == "v1"]
    if len(stamps) != 1 or not given:
        raise SignatureError(_("The signature header needs one t= and at least one v1=."))
    expected = _hmac(secret, stamps[0].encode() + b"." + body).hex()
    # A list, not a generator: every candidate is compared, so the time does not depend on which.
    if not any([_same(value, expected) for value in given]):
        raise SignatureError(_("The signature does not match."))
    _check_time(_unix(stamps[0]), now, tolerance)


CHECKS = {
    "bearer": check_bearer,
    "zendesk": check_zendesk,
    "hub": check_hub,
    "glpi": check_glpi,
    "generic": check_generic,
}


def verify(connector, headers, body: bytes, now: datetime) -> None:
    """Raise SignatureError unless the call carries the connector's valid signature."""
    CHECKS[connector.scheme](connector.secret, headers, body, now, connector.timestamp_tolerance)


def sign(connector, body: bytes, now: datetime) -> dict:
    """The headers the tool would send: used by the "send test event" button and the tests."""
    secret, unix = connector.secret, str(int(now.timestamp()))
    if connector.scheme == "bearer":
        return {"Authorization": f"Bearer {secret}"}
    if connector.scheme == "zendesk":
        stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        signature = base64.b64encode(_hmac(secret, stamp.encode() + body)).decode()
        return {
            "X-Zendesk-Webhook-Signature": signature,
            "X-Zendesk-Webhook-Signature-Timestamp": stamp,
        }
    if connector.scheme == "hub":
        return {"X-Hub-Signature": "sha256=" + _hmac(secret, body).hex()}
    if connector.scheme == "glpi":
        return {
            "X-GLPI-signature": _hmac(secret, body + unix.encode()).hex(),
            "X-GLPI-timestamp": unix,
        }
    signature = _hmac(secret, unix.encode() + b"." + body).hex()
    return {"X-ITPulse-Signature": f"t={unix},v1={signature}"}
