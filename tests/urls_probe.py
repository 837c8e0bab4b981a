"""The project's URLs plus two views for tests: one that fails (what a 500 looks like) and one
that says who sent the request and over what (what itpulse/proxies.py made of it)."""

from django.http import JsonResponse
from django.urls import path

from itpulse.urls import handler400, handler404
from itpulse.urls import urlpatterns as project_urls
from surveys.client_address import client_address

__all__ = ["handler400", "handler404", "urlpatterns"]


def fail(request):
    raise RuntimeError("a bug, on purpose")


def whoami(request):
    return JsonResponse({"client": client_address(request), "secure": request.is_secure()})


urlpatterns = [path("fail/", fail), path("whoami/", whoami), *project_urls]
