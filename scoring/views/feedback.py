"""Per-agent feedback: "my feedback" for an agent, and one agent's page for leads and managers.

Per-agent scores are personal: only the agent, the leads of the agent's team and IT managers see
them (accounts.access.agents_for_user); anyone else gets a 404. An anonymous team's answers
appear only where enough people stand behind them (scoring/agent_answers.py).
"""

from collections.abc import Iterator, Sequence
from datetime import timedelta

from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import agent_for_user, get_agent_for_user, staff_page
from surveys.anonymity import shown_ticket_ref
from surveys.csvexport import LocalTime, csv_lines
from surveys.privacy import min_group
from surveys.xlsxexport import xlsx_response

from ..agent_answers import agent_answers, agent_rate, withheld_team_ids
from ..categories import scores_by_type
from ..nps import Score

PERIOD_DAYS = 90


def _agent_page(request, agent, mine: bool):
    now = timezone.now()
    # An anonymous team's answers only where enough people stand behind them (see the module).
    since = now - timedelta(days=PERIOD_DAYS)
    recent = agent_answers(agent, start=since)
    # One score per scale: never a 4 out of 5 added to a 9 out of 10.
    scores = scores_by_type(recent) or [Score()]
    page = Paginator(
        agent_answers(agent)
        .select_related("team", "invitation__ticket")
        .order_by("-created_at", "-id"),
        50,
    ).get_page(request.GET.get("page"))
    context = {
        "agent": agent,
        "mine": mine,
        "score": scores[0],
        "scores": scores,
        "period_days": PERIOD_DAYS,
        "rate": agent_rate(agent, start=since),
        "page": page,
        "withheld": bool(withheld_team_ids(agent)),
        "min_group": min_group(),
    }
    return render(request, "scoring/agent_feedback.html", context)


@staff_page()
def my_feedback(request):
    agent = agent_for_user(request.user)
    if agent is None:
        raise Http404
    return _agent_page(request, agent, mine=True)


@staff_page()
def agent_feedback(request, pk):
    agent = get_agent_for_user(request.user, pk)
    return _agent_page(request, agent, mine=agent.user_id == request.user.id)


EXPORT_HEADER = ["answered_at", "ticket", "score", "comment"]


def _export_rows(agent) -> Iterator[Sequence[str | int | None]]:
    """The header, then the agent's answers newest first, a server-side cursor's chunk at a
    time; formulas are guarded by the writer (surveys/csvexport.py, surveys/xlsxexport.py)."""
    yield EXPORT_HEADER
    local_time = LocalTime(timezone.get_current_timezone())
    rows = (
        agent_answers(agent)
        .select_related("team", "invitation__ticket")
        .only(
            "created_at", "score", "comment", "team__anonymous", "invitation__ticket__external_id"
        )
        .order_by("-created_at", "-id")
    )
    for response in rows.iterator(chunk_size=2000):
        yield [
            local_time(response.created_at),
            shown_ticket_ref(response),
            response.score,
            response.comment,
        ]


def _export(agent, extension: str):
    filename = f"feedback-agent-{agent.pk}.{extension}"
    if extension == "xlsx":
        return xlsx_response(_export_rows(agent), filename=filename, title=agent.name or "feedback")
    reply = StreamingHttpResponse(
        csv_lines(_export_rows(agent)), content_type="text/csv; charset=utf-8"
    )
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply


@staff_page()
def my_feedback_export(request, extension="csv"):
    agent = agent_for_user(request.user)
    if agent is None:
        raise Http404
    return _export(agent, extension)


@staff_page()
def agent_feedback_export(request, pk, extension="csv"):
    return _export(get_agent_for_user(request.user, pk), extension)
