"""CSRF protection for the survey forms, which are served with `Referrer-Policy: no-referrer`.

That policy keeps the link token out of Referer headers, but it also makes browsers send
`Origin: null` (and no Referer) with the page's own form POST, which Django's origin and
HTTPS-referer checks reject. For these forms only, an `Origin: null` or missing Referer is
accepted when the browser's `Sec-Fetch-Site` header says the POST came from our own origin (a
forged cross-site form gets `cross-site`, which is still refused). Browsers too old to send
`Sec-Fetch-Site` fall back to the remaining checks: the CSRF cookie and form token must match
(as everywhere), and the form posts to a URL holding the unguessable 256-bit link token, which
is the only credential the survey has: someone able to forge it could answer the survey anyway.
"""

from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import decorator_from_middleware

_OWN_ORIGIN = {"same-origin", None}


def _same_origin_by_fetch_metadata(request) -> bool:
    return request.headers.get("Sec-Fetch-Site") in _OWN_ORIGIN


class NoReferrerCsrfViewMiddleware(CsrfViewMiddleware):
    def _origin_verified(self, request):
        if request.META.get("HTTP_ORIGIN") == "null":
            return _same_origin_by_fetch_metadata(request)
        # (django-stubs leave out the middleware's private checks that this class extends.)
        return super()._origin_verified(request)  # type: ignore[misc]

    def _check_referer(self, request):
        if "HTTP_REFERER" not in request.META and _same_origin_by_fetch_metadata(request):
            return
        super()._check_referer(request)  # type: ignore[misc]


# Use together with @csrf_exempt outside it, so the global middleware leaves the view to this.
no_referrer_csrf_protect = decorator_from_middleware(NoReferrerCsrfViewMiddleware)
