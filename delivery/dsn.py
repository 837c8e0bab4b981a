"""Delivery status notifications (RFC 3464), read with the standard library's email package.

A relay (Postfix, Exchange, Exim, …) that cannot deliver a message sends its envelope sender a
`multipart/report; report-type=delivery-status` message: a human-readable part, a
`message/delivery-status` part (one block of per-message fields, then one per recipient, with
`Action` and an RFC 3463 `Status` such as 5.1.1) and the returned message or its headers
(`message/rfc822` or `text/rfc822-headers`), which carry the Message-ID we set. The email
package parses the delivery-status part into one header block per recipient; this module only
picks out what a bounce needs. Anything that is not such a report (an auto-reply, spam, a
vendor's plain-text bounce) reads as None.
"""

import email
import email.policy
import hashlib
import re
from dataclasses import dataclass
from email.message import Message
from email.parser import BytesHeaderParser

from surveys.logsafe import scrub

# RFC 3463: class.subject.detail; the class says permanent (5), persistent transient (4) or
# success (2). Some MTAs append a comment: "4.4.0 (other or undefined network status)".
_STATUS = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")
# Actions that report a message that did not arrive (RFC 3464 2.3.3); "delivered", "relayed"
# and "expanded" are success notices someone asked for, not bounces.
NOT_DELIVERED = {"failed", "delayed"}


@dataclass(frozen=True)
class Report:
    """The worst recipient's outcome in one delivery report, and how to find the message."""

    key: str  # stable over copies of the same report: sha256 of its Message-ID, else its bytes
    action: str  # "failed" or "delayed"
    status: str  # "5.1.1"
    diagnostic: str  # the remote server's words, addresses replaced by their hash
    message_ids: tuple[str, ...]  # of the returned message, most trustworthy first

    @property
    def is_hard(self) -> bool:
        """A permanent failure (5.x.x): the address will not work. 4.x.x may heal."""
        return self.status.startswith("5.")


def _recipient_blocks(status_part: Message) -> list[Message]:
    payload = status_part.get_payload()
    blocks = payload if isinstance(payload, list) else []
    # The first block holds the per-message fields (Reporting-MTA …); recipients have Action.
    return [block for block in blocks if isinstance(block, Message) and block.get("Action")]


def _status(block: Message) -> str:
    for field in ("Status", "Diagnostic-Code"):  # Status is required; some MTAs leave it bare
        found = _STATUS.search(str(block.get(field, "")))
        if found:
            return ".".join(found.groups())
    return ""


def _severity(outcome: tuple[str, str, str]) -> tuple[bool, bool]:
    action, status, _diagnostic = outcome
    return status.startswith("5."), action == "failed"


def _returned_message_ids(report: Message) -> list[str]:
    found = []
    for part in report.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            for inner in part.get_payload() or []:
                if isinstance(inner, Message):
                    found.append(str(inner.get("Message-ID", "")))
        elif kind == "text/rfc822-headers":
            raw = part.get_payload(decode=True)
            headers = BytesHeaderParser().parsebytes(raw if isinstance(raw, bytes) else b"")
            found.append(str(headers.get("Message-ID", "")))
    # Exchange also answers "in reply to" the lost message: useful when it returned no copy.
    for field in ("In-Reply-To", "References"):
        found.extend(str(report.get(field, "")).split())
    return [value.strip() for value in found if value.strip()]


def _key(report: Message, raw: bytes) -> str:
    own_id = str(report.get("Message-ID", "")).strip()
    return hashlib.sha256(f"message-id:{own_id}".encode() if own_id else raw).hexdigest()


def report_read(raw: bytes) -> Report | None:
    """The delivery report in `raw` (one whole message), or None if it is none or says no
    message failed."""
    report = email.message_from_bytes(raw, policy=email.policy.compat32)
    outcomes = []
    for part in report.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        for block in _recipient_blocks(part):
            action = str(block.get("Action", "")).strip().lower()
            status = _status(block)
            if action in NOT_DELIVERED and status[:1] in ("4", "5"):
                diagnostic = " ".join(str(block.get("Diagnostic-Code", "")).split())
                outcomes.append((action, status, scrub(diagnostic)[:200]))
    if not outcomes:
        return None
    action, status, diagnostic = max(outcomes, key=_severity)
    return Report(
        key=_key(report, raw),
        action=action,
        status=status,
        diagnostic=diagnostic,
        message_ids=tuple(_returned_message_ids(report)),
    )
