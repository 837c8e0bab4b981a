"""The floor for a database-backed request on this machine: the deployed app (its settings,
middleware and gunicorn configuration) with one more URL, /bench/floor, whose view reads one
row by primary key and answers it as JSON. bench/ingest.py serves this module instead of
itpulse.wsgi, so that each run measures the floor beside the real calls, under the same load
from the neighbours: a ratio to it holds on any machine, a bare figure does not.

    gunicorn -c python:itpulse.gunicorn bench.floor
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

# Django is set up first (models need it); the URLs are read at the first request.
application = get_wsgi_application()

from surveys.models import Team  # noqa: E402


@csrf_exempt
def floor(request):
    """One row by primary key through the ORM: the least a database-backed call does."""
    team = Team.objects.filter(pk=int(request.GET.get("pk", 1))).values("id", "slug").first()
    return JsonResponse({"team": team})


urlpatterns = [path("bench/floor", floor), path("", include("itpulse.urls"))]
# This module is the URL configuration too: the app's own, plus the floor.
settings.ROOT_URLCONF = __name__
