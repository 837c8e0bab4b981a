"""POST /api/v1/hooks/<connector>: a helpdesk's own webhook payload, signed in its own way."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from integrations import hooks
from integrations.models import Connector
from surveys import sql
from surveys.client_address import client_address
from surveys.ratelimit import Rate, address_key, rate_hit

from .http import MAX_BODY_BYTES, errors, too_large, too_large_error, too_many


def unauthenticated_limit(request: HttpRequest) -> JsonResponse | None:
    """Count a call that proved nothing (no connector, no valid signature) against its address:
    429 over ITPULSE_HOOK_RATE. Signed calls are never counted: a helpdesk may send many, and
    hosted ones (Zendesk, Jira Cloud) send from addresses they share with their other customers.
    """
    rate = Rate.parse(settings.ITPULSE_HOOK_RATE)
    key = "hook:" + address_key(client_address(request))
    if retry := rate_hit(key=key, rate=rate):
        return too_many(rate, retry, _("unsigned webhook calls from one address"))
    return None


def connector_by_slug(slug: str) -> Connector | None:
    """The active connector of this URL. Read through surveys.sql, as the ticket API reads its
    token: ORM (with its default team joined) about 1 ms of CPU per call, this about a fifth
    (issue 18). Its default team loads when first used: only a payload whose team is not mapped
    needs it."""
    if "\x00" in slug:  # PostgreSQL refuses NUL; no connector has it
        return None
    found = sql.select(Connector, "slug = %s AND active = %s", [slug, True])
    return found[0] if found else None


@csrf_exempt  # authenticated by the connector's signature, never by a cookie
@require_http_methods(["POST"])
def hook(request: HttpRequest, slug: str) -> HttpResponse:
    if problem := too_large(request):
        return problem
    connector = connector_by_slug(slug)
    if connector is None:
        return unauthenticated_limit(request) or errors(
            404, {"connector": [_("Unknown or inactive connector.")]}
        )
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return too_large_error(MAX_BODY_BYTES)
    now = timezone.now()
    if unsigned := hooks.signature_problem(connector, request.headers, body, now):
        # Limited before it is logged: over the rate, nothing is written at all.
        if limited := unauthenticated_limit(request):
            return limited
        outcome = hooks.refuse_unsigned(connector=connector, problem=unsigned, now=now)
    else:
        outcome = hooks.receive(
            connector=connector, headers=request.headers, body=body, now=now, verified=True
        )
    response = JsonResponse(outcome.body, status=outcome.status)
    if outcome.status == 401 and connector.scheme == Connector.Scheme.BEARER:
        response["WWW-Authenticate"] = 'Bearer realm="itpulse"'
    return response
