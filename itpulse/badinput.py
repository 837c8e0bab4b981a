"""Refuse what no view can use before it reaches one: a NUL in the path or the query string.

PostgreSQL stores no NUL in text, so `/api/v1/hooks/%00` or `?q=%00` reached the database as a
lookup and came back as a 500. A NUL is never part of a real address; refusing it here covers
every view, present and future, with one clear 400 (itpulse.views.bad_request).
"""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

NUL_IN_PATH = _("The address contains a NUL character, which no page of ITPulse has.")
NUL_IN_QUERY = _("The query string contains a NUL character, which no page of ITPulse accepts.")


class RejectUnreadableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise BadRequest(NUL_IN_PATH)
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest(NUL_IN_QUERY)
        return self.get_response(request)
