"""Helpdesk API: JSON in, JSON out, bearer-token authenticated, never a 500 for bad input."""

import json
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import sql
from ..anonymity import shown_status
from ..api_tokens import TokenRefused, api_token_check
from ..closing import tickets_close
from ..models import ApiToken, Team
from ..ratelimit import Rate, rate_hit
from ..tickets import validate

MAX_BODY_BYTES = 256 * 1024
BEARER_CHALLENGE = 'Bearer realm="itpulse"'


def errors(status: int, errors: dict, **headers) -> JsonResponse:
    response = JsonResponse({"errors": errors}, status=status)
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


def api_token_required(scope: str | None):
    """Bearer-token authentication (401), then the token's rate limit (429), then its scope (403).

    `scope` is what the call needs (ApiToken.Scope); None lets any valid token in. The API
    never uses cookies, so it needs no CSRF token.
    """

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
            try:
                if scheme.lower() != "bearer":
                    raise TokenRefused(_("Missing or invalid bearer token."))
                token = api_token_check(raw.strip())
            except TokenRefused as refused:
                return errors(
                    401, {"authorization": [str(refused)]}, WWW_Authenticate=BEARER_CHALLENGE
                )
            rate = Rate.parse(settings.ITPULSE_API_RATE)
            # Keyed by the token's hash, not its id: ids come back after a database is rebuilt.
            if retry := rate_hit(key=f"token:{token.token_hash[:32]}", rate=rate):
                return too_many(rate, retry, _("this token"))
            if scope is not None and not token.allows(scope):
                response = errors(
                    403,
                    {"scope": [_("This token lacks the scope %(scope)s.") % {"scope": scope}]},
                    WWW_Authenticate=f'{BEARER_CHALLENGE}, error="insufficient_scope", '
                    f'scope="{scope}"',
                )
                return response
            request.api_token = token
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_many(rate: Rate, retry_after: int, who: str) -> JsonResponse:
    """429 with Retry-After (seconds until the window ends)."""
    message = _(
        "Too many requests: at most %(rate)s for %(who)s. Try again in %(seconds)s seconds."
    ) % {"rate": rate.text, "who": who, "seconds": retry_after}
    return errors(429, {"rate": [message]}, Retry_After=str(retry_after))


def too_large_error(limit: int) -> JsonResponse:
    return errors(413, {"body": [_("The body is larger than %(kb)s KB.") % {"kb": limit // 1024}]})


def too_large(request, limit: int = MAX_BODY_BYTES) -> JsonResponse | None:
    """413 from the Content-Length alone, before the body is read or parsed."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return too_large_error(limit)
    return None


def json_body(request, limit: int = MAX_BODY_BYTES) -> tuple[dict | None, JsonResponse | None]:
    if problem := too_large(request, limit):
        return None, problem
    if len(request.body) > limit:
        return None, too_large_error(limit)
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return None, errors(400, {"body": [_("The body is not valid JSON.")]})
    except RecursionError:  # the decoder's own limit (~1,000 levels); no ticket nests that deep
        return None, errors(400, {"body": [_("The body's JSON is nested too deeply.")]})
    if not isinstance(data, dict):
        return None, errors(400, {"body": [_("The body must be a JSON object.")]})
    return data, None


# JSON field → form field; nested objects are flattened so one Django form validates them all.
NESTED = {
    "requester": ("email", "name", "language", "time_zone", "department"),
    "agent": ("email", "name"),
}
TOP = ("source", "external_id", "subject", "team", "closed_at")


def _flatten(data: dict) -> tuple[dict, dict]:
    flat, problems = {}, {}
    for key in TOP:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            problems[key] = [_("Must be a string.")]
        elif value is not None:
            flat[key] = value
    for parent, keys in NESTED.items():
        obj = data.get(parent)
        if obj is None:
            continue
        if not isinstance(obj, dict):
            problems[parent] = [_("Must be an object.")]
            continue
        for key in keys:
            value = obj.get(key)
            if value is not None and not isinstance(value, str):
                problems[f"{parent}.{key}"] = [_("Must be a string.")]
            elif value is not None:
                flat[f"{parent}_{key}"] = value
    return flat, problems


def _public_name(field: str) -> str:
    for parent in NESTED:
        if field.startswith(parent + "_"):
            return f"{parent}.{field.removeprefix(parent + '_')}"
    return field


def ticket_payload(ticket) -> dict:
    invitation = getattr(ticket, "invitation", None)
    return {
        "ticket": {
            "source": ticket.source,
            "external_id": ticket.external_id,
            "subject": ticket.subject,
            "team": ticket.team.slug,
            "closed_at": ticket.closed_at.isoformat().replace("+00:00", "Z"),
        },
        "invitation": {
            # An anonymous answer is not told per ticket (surveys/anonymity.py).
            "status": shown_status(invitation, timezone.now()) if invitation else None,
            "reason": invitation.reason if invitation else "",
        },
    }


def _teams_for(slug) -> dict:
    """The team named, or (for the error that lists them) every team.

    Read through surveys.sql: ORM 664 µs, this 110 µs per call (PostgreSQL; SQLite 337 against
    43), bench/sql_vs_orm.py on 2026-12-04.
    """
    found = []
    if isinstance(slug, str) and slug and "\x00" not in slug:  # PostgreSQL refuses NUL
        found = sql.select(Team, "slug = %s", [slug])
    return {t.slug: t for t in found or Team.objects.all()}


@api_token_required(ApiToken.Scope.TICKETS_WRITE)
@require_http_methods(["POST"])
def tickets_closed(request):
    data, problem = json_body(request)
    if problem:
        return problem
    flat, type_errors = _flatten(data)
    # The batch's validation (plain functions, not a Django form): one set of rules for every
    # door a ticket comes in by, and a tenth of a form's cost on the busiest API call.
    item, problems = validate(flat, _teams_for(flat.get("team")), timezone.now())
    if type_errors or problems:
        found = {_public_name(k): v for k, v in problems.items()}
        return errors(400, {**found, **type_errors})
    [result] = tickets_close(items=[item])
    return JsonResponse(ticket_payload(result.ticket), status=201 if result.created else 200)
