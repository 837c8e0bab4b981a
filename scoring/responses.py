"""Reads of single responses for a team page: its comments and its CSV export.

These read the raw responses, but only one team's, one period's and one page's worth, through
the (team, created_at) index: their cost does not grow with the responses of other teams or
other times. Periods here are the viewer's calendar days.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from surveys.anonymity import identified, shown_requester, shown_ticket_ref, team_identifies
from surveys.csvexport import LocalTime
from surveys.models import Response, Team
from surveys.scales import scale_for

from .categories import in_category
from .selectors import Period, period_bounds, team_tally, withheld_agent_ids
from .slices import EVERYTHING, Slice

PER_PAGE = 20


def responses_in(
    team: Team,
    period: Period,
    *,
    category: str = "",
    score: int | None = None,
    q: str = "",
    sl: Slice = EVERYTHING,
) -> QuerySet[Response]:
    start, end = period_bounds(period.since, period.until)
    responses = Response.objects.filter(
        sl.answers(), team=team, created_at__gte=start, created_at__lt=end
    )
    # A band is one scale's: "dissatisfied" finds the team's CSAT answers at 1–2, never an
    # NPS answer of 1 or 2 given before the team changed its question type.
    band = scale_for(team.question_type).by_name(category)
    if band is not None:
        responses = responses.filter(in_category(band), question_type=team.question_type)
    if score is not None:
        responses = responses.filter(score=score, question_type=team.question_type)
    if q:
        responses = responses.filter(comment__icontains=q)
    return responses.order_by("-created_at", "-id")


@dataclass(frozen=True)
class CommentPage:
    comments: list[Response]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def comment_page(
    team: Team, period: Period, filters: dict, number: int, sl: Slice = EVERYTHING
) -> CommentPage:
    """One page of comments, newest first. No total count: counting every comment of a long
    period would cost more than the page itself, and "older / newer" is what people use."""
    offset = (number - 1) * PER_PAGE
    comments = list(
        responses_in(team, period, **filters, sl=sl)
        .exclude(comment="")
        .select_related("team", "agent", "invitation__requester", "invitation__ticket")[
            offset : offset + PER_PAGE + 1
        ]
    )
    hidden_agents = withheld_agent_ids(team, period)
    for response in comments:
        response.requester_shown = shown_requester(response)
        response.ticket_shown = shown_ticket_ref(response)
        response.agent_shown = None if response.agent_id in hidden_agents else response.agent
        response.category_label = str(Response.Category(response.category).label)
    return CommentPage(comments[:PER_PAGE], number, len(comments) > PER_PAGE)


NO_COMMENTS = CommentPage([], 1, False)


def export_filename(
    team: Team,
    period: Period,
    filters: dict,
    *,
    identify: bool = False,
    extension: str = "csv",
    sl: Slice = EVERYTHING,
) -> str:
    parts = ["itpulse", team.slug, period.since.isoformat(), "to", period.until.isoformat()]
    parts += [slugify(value)[:30] or "text" for value in sl.params().values()]
    if filters.get("category"):
        parts.append(filters["category"] + "s")
    if filters.get("score") is not None:
        parts += ["score", str(filters["score"])]
    if filters.get("q"):
        parts += ["search", slugify(filters["q"])[:30] or "text"]
    if identify and team_identifies(team):
        parts.append("with-requesters")
    return "-".join(parts) + "." + extension


HEADER = ["answered_at", "team", "agent", "score", "category", "comment"]
IDENTITY = ["requester_email", "requester_name", "ticket"]
# Last, so that the columns a spreadsheet already reads by position stay where they were.
SCALE = ["question_type"]


def export_rows(
    team: Team,
    period: Period,
    filters: dict,
    *,
    identify: bool = False,
    withheld: bool = False,
    sl: Slice = EVERYTHING,
) -> Iterator[Sequence[str | int | None]]:
    """The export's rows, the header first, for the CSV (surveys/csvexport.py, which guards
    formulas) and the .xlsx (surveys/xlsxexport.py); read with a server-side cursor: memory
    stays the same for a week or for ten years of answers.

    Who answered (requester, ticket) only when asked for (data minimisation: a file travels
    further than a page), and never for an anonymous team (issue 6): then not even empty
    columns.
    """
    identify = identify and team_identifies(team)
    hidden_agents = withheld_agent_ids(team, period)
    fields = [
        "created_at",
        "agent_id",
        "agent__name",
        "agent__email",
        "score",
        "question_type",
        "comment",
    ]
    if identify:
        fields += [
            "invitation__requester__email",
            "invitation__requester__name",
            "invitation__ticket__external_id",
        ]
    rows = (
        responses_in(team, period, **filters, sl=sl).values_list(*fields).iterator(chunk_size=2000)
    )
    local_time = LocalTime(timezone.get_current_timezone())
    yield HEADER + (IDENTITY if identify else []) + SCALE
    if withheld:
        return  # a group too small to show (surveys.privacy): an anonymous team's, a slice's
    for created_at, agent_id, agent_name, agent_email, score, kind, comment, *identity in rows:
        answered = local_time(created_at)
        # An agent of too few people is not named beside an answer (withheld_agent_ids).
        agent = "" if agent_id in hidden_agents else agent_name or agent_email or ""
        band = scale_for(kind).category(score).name
        row: list[str | int | None] = [answered, team.name, agent, score, band, comment]
        yield row + [value or "" for value in identity] + [kind]


def withheld_answer_ids(responses: Iterable[Response]) -> set[int]:
    """The answers among `responses` that may not leave one by one (the API's feed, the
    webhooks): those nobody may know the giver of (surveys/anonymity.py) whose team's day, the
    only time such an answer keeps, stands on fewer than ITPULSE_MIN_GROUP people, as the team's
    page and its API withhold that day's score (docs/privacy.md, "Small groups count people")."""
    zone = timezone.get_default_timezone()
    withheld_days: dict[tuple[int, date], bool] = {}
    withheld = set()
    for response in responses:
        if identified(response):
            continue
        day = timezone.localtime(response.created_at, zone).date()
        key = (response.team_id, day)
        if key not in withheld_days:
            withheld_days[key] = team_tally(response.team, day, day).withheld
        if withheld_days[key]:
            withheld.add(response.id)
    return withheld
