from datetime import date

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from accounts.access import agents_for_user, get_team_for_user, staff_page, teams_for_user
from audit.models import AuditEvent
from audit.services import audit_record
from surveys.anonymity import team_identifies
from surveys.client_address import client_address
from surveys.csvexport import csv_lines
from surveys.params import ascii_int
from surveys.privacy import min_group
from surveys.questions import QuestionType, measure_label
from surveys.xlsxexport import xlsx_response

from .. import charts
from ..forms import CommentFilterForm, PeriodForm
from ..nps import change
from ..responses import NO_COMMENTS, comment_page, export_filename, export_rows
from ..selectors import agent_scores, overview, team_series
from ..slices import SliceForm, tally, trend_of
from ..targets import target_for, target_text
from ..templatetags.scores import score_text

PERIODS = (30, 90)


@staff_page()
@require_GET
def dashboard(request):
    rows = overview(teams_for_user(request.user), PERIODS, timezone.localdate())
    # The sparklines' number tables are many small cells: made here once, not per cell in the
    # template language (which made them the slowest part of the page).
    uncertain = gettext("uncertain")
    labels: dict[date, str] = {}  # period start → its label, made once
    for row in rows:
        row.measure = measure_label(row.team.question_type)
        row.spark = charts.sparkline([(start, tally.score) for start, tally in row.trend])
        row.spark_cells = [
            (
                labels.get(start)
                or labels.setdefault(start, date_format(start, "YEAR_MONTH_FORMAT")),
                _score_text(tally.score, uncertain),
                f"n = {tally.score.responses}",
            )
            for start, tally in row.trend
        ]
    return render(request, "scoring/dashboard.html", {"rows": rows, "periods": PERIODS})


def _score_text(score, uncertain: str) -> str:
    if not score.enough:
        return "—"
    text = score_text(score)
    return f"{text} ({uncertain})" if score.uncertain else text


def _page_number(request) -> int:
    return max(ascii_int(request.GET.get("page"), max_digits=6) or 1, 1)


def _series_shown(request, team, series) -> str:
    """The team's current question type's series, or an earlier one that ?scale= names (a team
    that changed its type still reads its past; never both mixed)."""
    asked = request.GET.get("scale", "")
    if asked != team.question_type and any(s.question_type == asked for s in series):
        return asked
    return team.question_type


@staff_page()
@require_GET
def team_page(request, slug):
    team = get_team_for_user(request.user, slug)
    period_form = PeriodForm(request.GET or None)
    period, interval = period_form.chosen(timezone.localdate())
    comment_form = CommentFilterForm(request.GET or None, question_type=team.question_type)
    filters = comment_form.filters()
    slice_form = SliceForm(request.GET or None)
    sl = slice_form.chosen()
    series = team_series(team)
    kind = _series_shown(request, team, series)
    current = tally(team, period.since, period.until, kind, sl)
    previous_period = period.previous()
    previous = tally(team, previous_period.since, previous_period.until, kind, sl)
    points = [
        (start, point.score)
        for start, point in trend_of(team, period.since, period.until, interval, kind, sl)
    ]
    # The team's own aim for the series shown (each series has its own): a line on its chart.
    target = target_for(team, kind)
    # Per-agent scores only for agents this user may see (issue 7's roles); the per-day
    # agent rollups know no slice, so a sliced page shows none rather than unsliced ones.
    visible = set(agents_for_user(request.user).values_list("id", flat=True))
    agents = [] if sl else [row for row in agent_scores(team, period) if row.agent.id in visible]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "team": team,
        "period": period,
        "previous_period": previous_period,
        "interval": interval,
        "period_form": period_form,
        "comment_form": comment_form,
        "slice_form": slice_form,
        "sliced": bool(sl),
        "score": current.score,
        "tally": current,
        "previous_score": previous.score,
        "change": change(current.score, previous.score),
        "distribution": charts.distribution_chart(current.histogram, question_type=kind),
        "series_shown": kind,
        "series_shown_label": QuestionType(kind).label,
        "current_series": next((s for s in series if s.question_type == team.question_type), None),
        "other_series": [s for s in series if s.question_type != kind],
        "trend_points": points,
        "trend_chart": charts.trend_chart(points, target=None if target is None else float(target)),
        "target": target,
        "target_text": target_text(target, kind),
        "agents": [row for row in agents if row.score.enough],
        "hidden_agents": sum(1 for row in agents if not row.score.enough),
        "min_responses": current.score.min_responses,
        "min_group": min_group(),
        # A comment of a small group (an anonymous team's, a slice's) could point at its writer.
        "comments_withheld": current.withheld,
        "comments": NO_COMMENTS
        if current.withheld
        else comment_page(team, period, filters, _page_number(request), sl),
        "query": query.urlencode(),
    }
    return render(request, "scoring/team.html", context)


@staff_page()
@require_GET
def team_export(request, slug, extension="csv"):
    """The team's answers of the period as CSV (export.csv) or as .xlsx (export.xlsx)."""
    team = get_team_for_user(request.user, slug)
    period, _interval = PeriodForm(request.GET or None).chosen(timezone.localdate())
    filters = CommentFilterForm(request.GET or None, question_type=team.question_type).filters()
    sl = SliceForm(request.GET or None).chosen()
    identify = request.GET.get("identity") == "1" and team_identifies(team)
    withheld = tally(team, period.since, period.until, sl=sl).withheld
    if identify:
        # Who answered leaves the building in a file: the audit log says who took it.
        audit_record(
            action=AuditEvent.Action.EXPORTED_WITH_IDENTITY,
            actor=request.user,
            target=f"team {team.slug}, {period.since} to {period.until}",
            ip=client_address(request),
        )
    rows = export_rows(team, period, filters, identify=identify, withheld=withheld, sl=sl)
    filename = export_filename(team, period, filters, identify=identify, extension=extension, sl=sl)
    if extension == "xlsx":
        return xlsx_response(rows, filename=filename, title=team.name)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
