"""`Cache-Control: private, no-store` on every response meant for one person.

A signed-in page shows per-person feedback, names and comments; a CSV export holds them all; an
API answer is the organisation's data. None of it may stay in a shared proxy's cache or on the
disk of a shared computer (no-store: not even in the browser's cache, so Back after sign-out
shows nothing). Static files and the public pages keep their own caching.
"""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

EXPORT_TYPES = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def is_private(request: HttpRequest, response: HttpResponse) -> bool:
    # request.user is there only once AuthenticationMiddleware has run (not for static files).
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    if getattr(request, "api_token", None) is not None:
        return True
    content_type = response.get("Content-Type", "").partition(";")[0].strip().lower()
    disposition = response.get("Content-Disposition", "").lower()
    return content_type in EXPORT_TYPES or disposition.startswith("attachment")


class PrivateResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private(request, response):
            patch_cache_control(response, private=True, no_store=True)
        return response
