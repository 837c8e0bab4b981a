"""GET /api/v1/responses: the answers one by one, for a report or a helpdesk to keep in step.

Cursor pagination over surveys' feed (surveys/feed.py): `next_cursor` is where the page ended,
and asking again with it later returns only what came after, also answers given while the
reader was paging. The cursor is opaque to the reader (base64 of the last position and id).
"""

import base64
import binascii
import json
from datetime import date, datetime, time

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from scoring.responses import withheld_answer_ids
from surveys.feed import PAGE_SIZE, Position, position_of, response_data, responses_feed
from surveys.models import ApiToken, Team

from .http import api_token_required, errors


def cursor_encode(position: Position) -> str:
    raw = json.dumps([position.at.isoformat(), position.id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> Position | None:
    """The position a cursor names, or None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, row = json.loads(raw)
        instant = parse_datetime(at)
    except (binascii.Error, ValueError, TypeError):
        return None
    if instant is None or timezone.is_naive(instant) or type(row) is not int or row < 0:
        return None
    return Position(instant, row)


def since_parse(raw: str) -> datetime | None:
    """ISO 8601 date (the organisation's midnight) or date-time with a zone; else None."""
    instant: datetime | None
    try:
        if len(raw) == len("YYYY-MM-DD"):
            day = date.fromisoformat(raw)
            instant = datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())
        else:
            instant = parse_datetime(raw)
    except ValueError:
        return None
    if instant is None:
        return None
    if timezone.is_naive(instant) or not 1900 <= instant.year <= 2999:
        return None
    return instant


@api_token_required(ApiToken.Scope.RESULTS_READ)
@require_GET
def response_list(request: HttpRequest) -> HttpResponse:
    problems: dict[str, list[str]] = {}
    since = after = None
    team = None
    if raw := request.GET.get("since", ""):
        since = since_parse(raw)
        if since is None:
            problems["since"] = [_("Use an ISO 8601 date or a date and time with its zone.")]
    if raw := request.GET.get("cursor", ""):
        after = cursor_decode(raw)
        if after is None:
            problems["cursor"] = [_("Pass next_cursor from an earlier answer unchanged.")]
    if slug := request.GET.get("team", ""):
        team = Team.objects.filter(slug=slug).first()
        if team is None:
            problems["team"] = [_("Unknown team.")]
    if problems:
        return errors(400, problems)
    rows = responses_feed(
        now=timezone.now(), since=since, team=team, after=after, limit=PAGE_SIZE + 1
    )
    page = rows[:PAGE_SIZE]
    last = position_of(page[-1]) if page else after
    # Passed over, never shown: an anonymous team's answers of a day too few people answered.
    withheld = withheld_answer_ids(page)
    return JsonResponse(
        {
            "responses": [response_data(row) for row in page if row.id not in withheld],
            # Where to go on from, now or later; unchanged when nothing new came.
            "next_cursor": cursor_encode(last) if last is not None else request.GET.get("cursor"),
            "has_more": len(rows) > PAGE_SIZE,
        }
    )
