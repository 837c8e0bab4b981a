"""POST /api/v1/hooks/<connector>: a helpdesk's own webhook payload, signed in its own way."""

from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from surveys.views.api import MAX_BODY_BYTES, errors, too_large, too_large_error

from .. import hooks
from ..models import Connector


@csrf_exempt  # authenticated by the connector's signature, never by a cookie
@require_http_methods(["POST"])
def hook(request, slug):
    if problem := too_large(request):
        return problem
    connector = (
        Connector.objects.select_related("default_team").filter(slug=slug, active=True).first()
    )
    if connector is None:
        return errors(404, {"connector": [_("Unknown or inactive connector.")]})
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return too_large_error(MAX_BODY_BYTES)
    outcome = hooks.receive(
        connector=connector, headers=request.headers, body=body, now=timezone.now()
    )
    response = JsonResponse(outcome.body, status=outcome.status)
    if outcome.status == 401 and connector.scheme == Connector.Scheme.BEARER:
        response["WWW-Authenticate"] = 'Bearer realm="itpulse"'
    return response
