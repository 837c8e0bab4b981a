"""What every /api/v1/ view shares: JSON errors, bearer tokens (their rate and scope), body limits.

JSON in, JSON out, never a 500 for bad input."""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from surveys.api_tokens import TokenRefused, api_token_check
from surveys.models import ApiToken
from surveys.ratelimit import Rate, rate_hit

MAX_BODY_BYTES = 256 * 1024
BEARER_CHALLENGE = 'Bearer realm="itpulse"'


def errors(status: int, errors: dict, **headers: str) -> JsonResponse:
    response = JsonResponse({"errors": errors}, status=status)
    for key, value in headers.items():
        response[key.replace("_", "-")] = value
    return response


class ApiRequest(HttpRequest):
    """A request that api_token_required let in: it carries the token it came with."""

    api_token: ApiToken


View = Callable[..., HttpResponseBase]


def api_token_required(scope: str | None) -> Callable[[View], View]:
    """Bearer-token authentication (401), then the token's rate limit (429), then its scope (403).

    `scope` is what the call needs (ApiToken.Scope); None lets any valid token in. The API
    never uses cookies, so it needs no CSRF token.
    """

    def decorator(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: ApiRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
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


def too_large(request: HttpRequest, limit: int = MAX_BODY_BYTES) -> JsonResponse | None:
    """413 from the Content-Length alone, before the body is read or parsed."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        return too_large_error(limit)
    return None


def json_body(request: HttpRequest, limit: int = MAX_BODY_BYTES) -> dict | JsonResponse:
    """The body's JSON object, or the error response that says why there is none."""
    if problem := too_large(request, limit):
        return problem
    if len(request.body) > limit:
        return too_large_error(limit)
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return errors(400, {"body": [_("The body is not valid JSON.")]})
    except RecursionError:  # the decoder's own limit (~1,000 levels); no ticket nests that deep
        return errors(400, {"body": [_("The body's JSON is nested too deeply.")]})
    if not isinstance(data, dict):
        return errors(400, {"body": [_("The body must be a JSON object.")]})
    return data
