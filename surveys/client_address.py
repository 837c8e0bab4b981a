"""The address a request came from: the one place that answers it.

REMOTE_ADDR: the socket's peer, or, when that peer is a proxy named in ITPULSE_TRUSTED_PROXIES,
the client it forwarded for (itpulse/proxies.py rewrote REMOTE_ADDR before any view ran), so that
rate limits and the audit trail follow the client without knowing about proxies.
"""

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""
