"""The address a request came from: the one place that answers it.

For now the socket's peer (REMOTE_ADDR). Behind a reverse proxy that is the proxy; the proxy
handling that trusts its X-Forwarded-For (ITPULSE_TRUSTED_PROXIES) belongs here, so that rate
limits and the audit trail follow it without changes of their own.
"""

from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""
