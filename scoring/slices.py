"""A team's results for one slice: its tickets of a category, priority or channel, or of
requesters of one department (surveys/slices.py), as the team page, the trend API and the
exports filter them.

The per-day rollups are keyed by team and day only, so a slice is read from the rows: the
team's answers in the period through the (team, created_at) index, which carries each answer's
copy of its slice, and its invitations sent in the period through (team, sent_at) for the
response rate and the people behind it. Cost: one team's rows of the period, never the whole
table (bench/dashboard.py --slices, docs/benchmarks.md).

A slice narrows a team to a group that can point at a person (the one requester from Finance
with an urgent ticket): for every team, not only anonymous ones, a slice's score and comments
are shown only when enough distinct people stand behind it, by the one rule of
surveys/privacy.py, applied as for an anonymous team (selectors.withheld_unless).
"""

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from surveys import slices
from surveys.models import Invitation, Response, Team
from surveys.scales import scale_for

from . import people
from .selectors import Tally, period_starts, team_tally, trend, withheld_unless

TRUNC = {"week": TruncWeek, "month": TruncMonth}


@dataclass(frozen=True)
class Slice:
    """Which tickets: each field empty for "any"."""

    category: str = ""
    priority: str = ""
    channel: str = ""
    department: str = ""

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    def params(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def answers(self) -> Q:
        """The answers of this slice (their copy of it)."""
        q = Q()
        if self.category:
            q &= Q(slice_category=self.category)
        if self.priority:
            q &= Q(slice_priority=self.priority)
        if self.channel:
            q &= Q(slice_channel=self.channel)
        if self.department:
            q &= Q(slice_department__iexact=self.department)
        return q

    def invitations(self) -> Q:
        """The invitations of this slice: their ticket's, their requester's department."""
        q = Q()
        if self.category:
            q &= Q(ticket__category=self.category)
        if self.priority:
            q &= Q(ticket__priority=self.priority)
        if self.channel:
            q &= Q(ticket__channel=self.channel)
        if self.department:
            q &= Q(requester__department__iexact=self.department)
        return q


EVERYTHING = Slice()


class SliceForm(forms.Form):
    """?ticket_category=&priority=&channel=&department= on the team page and its export;
    the API's ?category= is ticket_category."""

    # Not "category": on the team page and its export that is the comments' band filter
    # (promoter, detractor…), a URL people keep. The API, which has no band filter, reads
    # ?category= as this too (api/teams.py).
    ticket_category = forms.CharField(label=_("Ticket category"), required=False, max_length=100)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("all")), *slices.Priority.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("all")), *slices.Channel.choices]
    )
    department = forms.CharField(label=_("Department"), required=False, max_length=100)

    def clean_ticket_category(self) -> str:
        return slices.category(self.cleaned_data.get("ticket_category") or "")

    def clean_department(self) -> str:
        return " ".join((self.cleaned_data.get("department") or "").split())

    def chosen(self) -> Slice:
        """The slice asked for; everything when the form is invalid (the page says why)."""
        if not self.is_valid():
            return EVERYTHING
        data = self.cleaned_data
        return Slice(
            category=data["ticket_category"],
            priority=data["priority"],
            channel=data["channel"],
            department=data["department"],
        )


def _instant(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def _answers(team: Team, since: date | None, until: date | None, sl: Slice, kind: str):
    answers = Response.objects.filter(sl.answers(), team=team, question_type=kind)
    if since is not None:
        answers = answers.filter(created_at__gte=_instant(since))
    if until is not None:
        answers = answers.filter(created_at__lt=_instant(until + timedelta(days=1)))
    return answers


def _sent(team: Team, since: date | None, until: date | None, sl: Slice):
    invitations = Invitation.objects.filter(sl.invitations(), team=team, sent_at__isnull=False)
    if since is not None:
        invitations = invitations.filter(sent_at__gte=_instant(since))
    if until is not None:
        invitations = invitations.filter(sent_at__lt=_instant(until + timedelta(days=1)))
    return invitations


_RATE = {
    "sent": Count("id"),
    "answered": Count("id", filter=Q(status=Invitation.Status.ANSWERED)),
    "people": Count(people.PERSON, distinct=True, filter=Q(status=Invitation.Status.ANSWERED)),
}


def _counts(kind: str, rows) -> tuple[int, ...]:
    """Rows of (score, n) as the counts per score of the kind's scale, lowest first."""
    scale = scale_for(kind)
    counts = [0] * len(scale.scores)
    for score, n in rows:
        counts[score - scale.low] += n
    return tuple(counts)


def tally(
    team: Team,
    since: date | None = None,
    until: date | None = None,
    question_type: str | None = None,
    sl: Slice = EVERYTHING,
) -> Tally:
    """The team's tally of the period, of one slice when `sl` names one (else the rollups')."""
    kind = question_type or team.question_type
    if not sl:
        return team_tally(team, since, until, kind)
    rows = _answers(team, since, until, sl, kind).values("score").annotate(n=Count("id"))
    counts = _counts(kind, rows.order_by().values_list("score", "n"))
    rate = _sent(team, since, until, sl).aggregate(**_RATE)
    found = Tally(counts, rate["sent"], rate["answered"], question_type=kind)
    return withheld_unless(found, rate["people"])


def trend_of(
    team: Team,
    since: date,
    until: date,
    interval: str,
    question_type: str | None = None,
    sl: Slice = EVERYTHING,
) -> list[tuple[date, Tally]]:
    """As selectors.trend, of one slice when `sl` names one."""
    kind = question_type or team.question_type
    if not sl:
        return trend(team, since, until, interval, kind)
    zone = timezone.get_default_timezone()
    trunc = TRUNC[interval]
    scores: dict[date, list[tuple[int, int]]] = {}
    rows = (
        _answers(team, since, until, sl, kind)
        .values("score", start=trunc("created_at", tzinfo=zone))
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        scores.setdefault(_as_date(row["start"]), []).append((row["score"], row["n"]))
    rates = {
        _as_date(row["start"]): row
        for row in _sent(team, since, until, sl)
        .values(start=trunc("sent_at", tzinfo=zone))
        .annotate(**_RATE)
        .order_by()
    }
    points = []
    for start in period_starts(since, until, interval):
        rate = rates.get(start, {"sent": 0, "answered": 0, "people": 0})
        counts = _counts(kind, scores.get(start, []))
        found = Tally(counts, rate["sent"], rate["answered"], question_type=kind)
        points.append((start, withheld_unless(found, rate["people"])))
    return points


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value
