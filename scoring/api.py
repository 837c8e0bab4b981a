from datetime import date

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from surveys.models import Team
from surveys.views.api import api_token_required, errors

from .selectors import team_score


@api_token_required
@require_GET
def team_list(request):
    return JsonResponse(list(Team.objects.values("slug", "name")), safe=False)


def _date_param(request, name, problems) -> date | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems[name] = [_("Use a date as YYYY-MM-DD.")]
        return None


@api_token_required
@require_GET
def team_nps(request, slug):
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        return errors(404, {"team": [_("Unknown team.")]})
    problems = {}
    since, until = _date_param(request, "since", problems), _date_param(request, "until", problems)
    if since and until and since > until:
        problems["until"] = [_("until must not be before since.")]
    if problems:
        return errors(400, problems)
    score = team_score(team, since, until)
    return JsonResponse({"team": team.slug, **score.as_dict()})
