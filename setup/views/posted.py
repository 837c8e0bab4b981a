from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The form's data on a POST, even an empty one (a form posted with nothing is wrong, not
    unsent: `request.POST or None` would show it afresh)."""
    return request.POST if request.method == "POST" else None
