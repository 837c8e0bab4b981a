"""POST /api/v1/tickets/closed/batch: up to 1,000 closed tickets, one answer per item."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from surveys.closing import tickets_close
from surveys.models import ApiToken, Team
from surveys.tickets import TicketIn, validate

from .http import api_token_required, errors, json_body
from .tickets import flatten, public_name, ticket_payload

MAX_ITEMS = 1000
# 1,000 tickets with names and an agent are about 300 KB: the single call's 256 KB would not
# hold a full batch.
MAX_BATCH_BYTES = 1024 * 1024


@api_token_required(ApiToken.Scope.TICKETS_WRITE)
@require_http_methods(["POST"])
def tickets_closed_batch(request: HttpRequest) -> HttpResponse:
    data = json_body(request, limit=MAX_BATCH_BYTES)
    if isinstance(data, JsonResponse):  # why there is none
        return data
    tickets = data.get("tickets")
    if not isinstance(tickets, list) or not tickets:
        return errors(400, {"tickets": [_("A non-empty list of tickets is required.")]})
    if len(tickets) > MAX_ITEMS:
        return errors(
            400, {"tickets": [_("At most %(max)s tickets per batch.") % {"max": MAX_ITEMS}]}
        )
    now = timezone.now()
    teams = {team.slug: team for team in Team.objects.all()}
    # Every ticket gets its answer below, a refusal in the loop or a result after it.
    answers: list[dict[str, Any]] = [{} for _ticket in tickets]
    valid: list[tuple[int, TicketIn]] = []
    for index, raw in enumerate(tickets):
        if not isinstance(raw, dict):
            answers[index] = {"status": 400, "errors": {"ticket": [_("Must be an object.")]}}
            continue
        flat, type_errors = flatten(raw)
        item, problems = validate(flat, teams, now)
        if type_errors or problems or item is None:  # (no item without problems)
            found = {public_name(key): messages for key, messages in problems.items()}
            answers[index] = {"status": 400, "errors": {**found, **type_errors}}
        else:
            valid.append((index, item))
    results = tickets_close(items=[item for _i, item in valid], now=now) if valid else []
    for (index, _item), result in zip(valid, results, strict=True):
        answers[index] = {"status": 201 if result.created else 200, **ticket_payload(result.ticket)}
    statuses = [answer["status"] for answer in answers]
    summary = {
        "created": statuses.count(201),
        "existing": statuses.count(200),
        "invalid": statuses.count(400),
    }
    return JsonResponse({**summary, "results": answers})
