"""Root causes of a team: reasons behind detractors and passives, and staff tagging."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import get_team_for_user, staff_page, teams_for_user
from surveys.models import Response
from surveys.privacy import min_group

from ..forms import ResponseTagsForm
from ..rootcauses import (
    reason_counts,
    reason_trend,
    reasons_withheld,
    response_tags_set,
    responses_to_tag,
)

PERIOD_DAYS = 90
TAGGING_ROWS = 30


@staff_page()
def team_reasons(request, slug):
    team = get_team_for_user(request.user, slug)
    now = timezone.now()
    months, trends = reason_trend(team, now)
    recent = responses_to_tag(team, now, PERIOD_DAYS, TAGGING_ROWS)
    rows = [
        (
            response,
            ResponseTagsForm(
                prefix=f"r{response.pk}",
                initial={"reasons": [tag.reason for tag in response.tags.all()]},
            ),
        )
        for response in recent
    ]
    context = {
        "team": team,
        "counts": reason_counts(team, now - timedelta(days=PERIOD_DAYS)),
        "withheld": reasons_withheld(team, now - timedelta(days=PERIOD_DAYS)),
        "min_group": min_group(),
        "period_days": PERIOD_DAYS,
        "months": months,
        "trends": trends,
        "rows": rows,
    }
    return render(request, "followups/team_reasons.html", context)


@require_POST
@staff_page()
def response_tags(request, pk):
    response = (
        Response.objects.filter(team__in=teams_for_user(request.user), pk=pk)
        .select_related("team")
        .first()
    )
    if response is None:
        raise Http404
    form = ResponseTagsForm(request.POST, prefix=f"r{pk}")
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose reasons from the list."))
    response_tags_set(response=response, reasons=form.cleaned_data["reasons"], by=request.user)
    messages.success(request, _("Reasons saved."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return redirect(next_url)
    return redirect("followup-team-reasons", slug=response.team.slug)
