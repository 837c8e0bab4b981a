"""Pages that moved keep their old addresses: a permanent redirect to the new one, 301 for a
page one reads and 308 for a form's POST (which keeps its method and body, so an old form or
bookmarklet still acts). The target's own access rule then decides, as it would have."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class HttpResponsePermanentRedirectKeepMethod(HttpResponseRedirect):
    status_code = 308


def moved(url_name: str, *, keep_method: bool = False):
    """A view answering a permanent redirect to `url_name`, with the same URL arguments and
    query string."""

    def view(request: HttpRequest, **kwargs) -> HttpResponse:
        target = reverse(url_name, kwargs=kwargs)
        if query := request.META.get("QUERY_STRING"):
            target = f"{target}?{query}"
        if keep_method:
            return HttpResponsePermanentRedirectKeepMethod(target)
        response = HttpResponseRedirect(target)
        response.status_code = 301
        return response

    return view
