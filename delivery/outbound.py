"""Outgoing HTTP calls (chat alerts, webhooks, write-back to a helpdesk) and the one guard they
share against server-side request forgery.

The addresses come from administrators and helpdesk settings, but whoever can set one could point
ITPulse at what only the server reaches: its own loopback, the cloud's metadata address
(169.254.169.254), a database on the private network. So every call resolves the host first and
refuses loopback, private, link-local, reserved, multicast and unspecified addresses, unless
`settings.ITPULSE_OUTGOING_ALLOW_PRIVATE` (an intranet helpdesk; the tests' local receivers).
The connection then goes to the address that was checked, not to a second lookup, so that a DNS
answer that changes between the check and the call (rebinding) cannot slip through; HTTPS still
verifies the certificate against the host name. Redirects are never followed: a 3xx is a reply
like any other, and cannot lead the call somewhere unchecked.
"""

import http.client
import ipaddress
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# A reply body is read only this far: a write-back or webhook receiver has nothing long to say.
MAX_REPLY_BYTES = 64 * 1024


class RefusedAddress(ValueError):
    """The URL may not be called: not http(s), no host, or a host on a forbidden address."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def _forbidden(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    return not ip.is_global or ip.is_multicast


def check_url(url: str) -> tuple[str, int, str]:
    """(host, port, the address to connect to) for a URL that may be called; else RefusedAddress.

    Every address the host resolves to must be allowed, not only the first: a name that answers
    both a public and a private address is refused.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedAddress(_("Only http:// and https:// addresses with a host can be called."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise RefusedAddress(_("The port of this address is not a number.")) from error
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise RefusedAddress(_("The host name does not resolve.")) from error
    addresses = [str(info[4][0]) for info in found]
    if not settings.ITPULSE_OUTGOING_ALLOW_PRIVATE and any(map(_forbidden, addresses)):
        raise RefusedAddress(
            _(
                "The host is on a loopback, private or reserved address; set "
                "ITPULSE_OUTGOING_ALLOW_PRIVATE=true to allow calls into your own network."
            )
        )
    return parts.hostname, port, addresses[0]


def _pinned(address: str) -> Any:
    """A socket factory for http.client that connects to the checked address, whatever host."""

    def create_connection(destination: tuple[str, int], *args: Any, **kwargs: Any) -> Any:
        return socket.create_connection((address, destination[1]), *args, **kwargs)

    return create_connection


def send(
    method: str,
    url: str,
    body: bytes | None = None,
    *,
    headers: Mapping[str, str],
    timeout: float | None = None,
) -> Reply:
    """One HTTP request to a checked address. Raises RefusedAddress, or OSError when the
    connection fails; any status comes back as a Reply (the caller decides what it means)."""
    host, port, address = check_url(url)
    parts = urlsplit(url)
    seconds = timeout if timeout is not None else settings.ITPULSE_WEBHOOK_TIMEOUT
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(host, port, timeout=seconds)
    else:
        connection = http.client.HTTPConnection(host, port, timeout=seconds)
    # http.client opens its socket through this attribute; pinning it is what makes the checked
    # address the one called (the Host header and the TLS server name stay the host's name).
    connection._create_connection = _pinned(address)  # type: ignore[attr-defined]
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request(method, path, body=body, headers=dict(headers))
        reply = connection.getresponse()
        return Reply(reply.status, reply.read(MAX_REPLY_BYTES))
    except http.client.HTTPException as error:  # a malformed reply: as good as a lost connection
        raise OSError(f"bad HTTP reply: {error.__class__.__name__}") from error
    finally:
        connection.close()


def post_json(
    url: str, body: bytes, *, headers: Mapping[str, str] | None = None, timeout: float | None = None
) -> int:
    """POST a JSON body; the reply's status (RefusedAddress or OSError as `send`)."""
    return send(
        "POST",
        url,
        body,
        headers={"Content-Type": "application/json", **(headers or {})},
        timeout=timeout,
    ).status
