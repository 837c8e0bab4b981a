"""GET /api/v1/teams/…: the teams, and each team's score and trend (scoring's selectors)."""

from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from scoring.scores import api_fields
from scoring.selectors import INTERVALS, Tally, team_series
from scoring.slices import EVERYTHING, Slice, SliceForm, tally, trend_of
from surveys.models import ApiToken, Team
from surveys.questions import QuestionType

from .http import api_token_required, errors


# Any token: a ticket-sending tool names teams by these slugs, a reading one asks per team.
@api_token_required(scope=None)
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    return JsonResponse(list(Team.objects.values("slug", "name")), safe=False)


def _date_param(request: HttpRequest, name: str, problems: dict[str, list[str]]) -> date | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        problems[name] = [_("Use a date as YYYY-MM-DD.")]
        return None
    if not 1900 <= value.year <= 2999:  # day arithmetic near year 1 or 9999 overflows
        problems[name] = [_("Use a date between 1900 and 2999.")]
        return None
    return value


def _scale_param(request: HttpRequest, team: Team, problems: dict[str, list[str]]) -> str:
    """The series asked for: the team's current question type's, or an earlier one by its
    type (?scale=nps): never two scales mixed in one figure."""
    raw = request.GET.get("scale", "")
    if not raw:
        return team.question_type
    if raw not in QuestionType.values:
        problems["scale"] = [_("Use nps, service or effort.")]
    return raw


def _slice_param(request: HttpRequest, problems: dict[str, list[str]]) -> Slice:
    """?category=&priority=&channel=&department=: the team page's slice filters."""
    data = {key: request.GET.get(key, "") for key in ("priority", "channel", "department")}
    data["ticket_category"] = request.GET.get("category", "")
    form = SliceForm(data)
    if not form.is_valid():
        for key, messages in form.errors.get_json_data().items():
            name = "category" if key == "ticket_category" else key
            problems[name] = [str(message["message"]) for message in messages]
        return EVERYTHING
    return form.chosen()


def _rate_fields(found: Tally) -> dict:
    """Answered of sent, of the surveys sent in the period (by their sent day, so at most 1):
    beside every score. A response rate tells nobody's answer: kept when a score is withheld."""
    rate = found.response_rate
    return {
        "response_rate": None if rate is None else round(rate, 4),
        "sent": found.sent,
        "answered": found.answered,
    }


def _series_fields(team: Team, kind: str) -> dict:
    series = next((s for s in team_series(team) if s.question_type == kind), None)
    return {
        "team_question_type": team.question_type,
        "series_since": series.first_day.isoformat() if series else None,
    }


@api_token_required(ApiToken.Scope.RESULTS_READ)
@require_GET
def team_nps(request: HttpRequest, slug: str) -> HttpResponse:
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        return errors(404, {"team": [_("Unknown team.")]})
    problems: dict[str, list[str]] = {}
    since, until = _date_param(request, "since", problems), _date_param(request, "until", problems)
    if since and until and since > until:
        problems["until"] = [_("until must not be before since.")]
    kind = _scale_param(request, team, problems)
    sl = _slice_param(request, problems)
    if problems:
        return errors(400, problems)
    found = tally(team, since, until, kind, sl)
    return JsonResponse(
        {
            "team": team.slug,
            **api_fields(found.score),
            **_rate_fields(found),
            **_series_fields(team, kind),
        }
    )


TREND_DEFAULT_DAYS = 365
TREND_LONGEST = timedelta(days=3660)


@api_token_required(ApiToken.Scope.RESULTS_READ)
@require_GET
def team_trend(request: HttpRequest, slug: str) -> HttpResponse:
    """The score per week or month of the team's current question type (or the earlier series
    ?scale= names); the small-sample rules of the dashboard hold here too."""
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        return errors(404, {"team": [_("Unknown team.")]})
    problems = {}
    interval = request.GET.get("interval", "week")
    if interval not in INTERVALS:
        problems["interval"] = [_("Use week or month.")]
    since, until = _date_param(request, "since", problems), _date_param(request, "until", problems)
    until = until or timezone.localdate()
    since = since or until - timedelta(days=TREND_DEFAULT_DAYS - 1)
    if since > until:
        problems["until"] = [_("until must not be before since.")]
    elif until - since > TREND_LONGEST:
        problems["since"] = [_("Ask for at most ten years at a time.")]
    kind = _scale_param(request, team, problems)
    sl = _slice_param(request, problems)
    if problems:
        return errors(400, problems)
    points = [
        {
            "period_start": start.isoformat(),
            **api_fields(point.score),
            **_rate_fields(point),
            "uncertain": point.score.uncertain,
        }
        for start, point in trend_of(team, since, until, interval, kind, sl)
    ]
    return JsonResponse(points, safe=False)
