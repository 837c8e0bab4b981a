"""The site's URLs and the benchmark's floor view: reached only through bench/settings.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from itpulse.urls import urlpatterns as site
from surveys.models import Invitation


def floor(request: HttpRequest, pk: int) -> HttpResponse:
    """One row read by primary key through the whole middleware stack: the least any database-
    backed request on this site costs, so the answer's rate is read as a share of it."""
    return HttpResponse(Invitation.objects.get(pk=pk).status, content_type="text/plain")


urlpatterns = [path("bench/floor/<int:pk>/", floor), *site]
