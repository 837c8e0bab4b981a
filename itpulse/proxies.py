"""Who sent a request, and over what: a proxy is believed only if ITPULSE_TRUSTED_PROXIES names it.

Behind a reverse proxy (Caddy in docker-compose.yml) the socket's peer is the proxy; the client's
address arrives in X-Forwarded-For and the scheme in X-Forwarded-Proto. Anyone can send those
headers, so they count only when the peer is one of the trusted proxies:

- from a trusted proxy, REMOTE_ADDR becomes the client's address: X-Forwarded-For read from the
  right (each proxy appends the address it saw), skipping trusted proxies, up to the first address
  that is not one. Everything that asks for the client's address (surveys.client_address: rate
  limits, the audit trail) then gets it without knowing about proxies.
- from anyone else both headers are dropped, so Django's SECURE_PROXY_SSL_HEADER (set only when
  there are trusted proxies) never reads a scheme a client made up.

This middleware comes first in MIDDLEWARE: nothing may read the address or the scheme before it.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item) for item in configured)


def _address(raw: str) -> Address | None:
    """An address as proxies write it: 1.2.3.4, 1.2.3.4:5678, 2001:db8::1 or [2001:db8::1]:443."""
    raw = raw.strip()
    if raw.startswith("["):
        raw = raw[1:].partition("]")[0]
    elif raw.count(":") == 1:
        raw = raw.partition(":")[0]
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return None
    # A dual-stack socket reports an IPv4 peer as ::ffff:1.2.3.4.
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def forwarded_client(forwarded_for: str, networks: tuple[Network, ...]) -> Address | None:
    """The client a chain of trusted proxies vouches for; None when the chain says nothing usable.

    Read from the right: the last hop was added by the proxy we trust, the ones before it by
    proxies it trusts only if we do too. The first untrusted address is the client; anything to
    its left is what the client itself claimed.
    """
    client = None
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:
            break
        client = address
        if not _trusted(address, networks):
            break
    return client


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        networks = _networks(tuple(settings.ITPULSE_TRUSTED_PROXIES))
        meta = request.META
        peer = _address(meta.get("REMOTE_ADDR", ""))
        if _trusted(peer, networks):
            client = forwarded_client(meta.get("HTTP_X_FORWARDED_FOR", ""), networks)
            if client is not None:
                meta["REMOTE_ADDR"] = str(client)
        else:
            meta.pop("HTTP_X_FORWARDED_FOR", None)
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        return self.get_response(request)
