"""Root causes: keyword suggestions on arrival and staff tagging (writes), and the counts behind
detractors and passives (reads). Requesters' quick picks (Response.reasons) count as tags."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from scoring.categories import below_promoter
from scoring.selectors import team_tally, trend
from surveys import unlinked
from surveys.models import Reason, Response
from surveys.scales import scale_for

from .models import KeywordRule, ResponseTag


def tags_suggest(*, response: Response, new: bool) -> list[ResponseTag]:
    """On arrival, tag a response with every reason whose keyword rule matches its comment.

    Only a `new` answer gets suggestions: once staff may have looked at a response, a rule must
    not bring back a reason they removed. The tags carry the answer's own time, which for an
    unlinked answer is its day only: a tag's exact time would tell when it was given.
    """
    if not new or not response.comment.strip():
        return []
    rules = KeywordRule.objects.filter(active=True, reason__active=True).select_related("reason")
    requester = response.invitation.requester if response.invitation else None
    if requester is not None:
        # An unlinked answer's language is not kept: every language's rules may apply.
        rules = rules.filter(language__in=["", requester.language])
    already = set(response.tags.values_list("reason_id", flat=True))
    made = []
    for rule in rules:
        if rule.reason_id in already or not rule.matches(response.comment):
            continue
        already.add(rule.reason_id)
        made.append(
            ResponseTag.objects.create(
                # An unlinked answer's tag takes a random row id: a sequence's would date it.
                id=unlinked.row_id() if response.is_unlinked else None,
                response=response,
                reason=rule.reason,
                source=ResponseTag.Source.KEYWORD,
                created_at=response.created_at,
            )
        )
    return made


def responses_to_tag(team, now: datetime, days: int, limit: int) -> list[Response]:
    """The team's latest detractors and passives, with their comments, for staff to tag. An
    anonymous team's only from the last `days` days, and none while that group is too small:
    each is shown one by one."""
    responses = Response.objects.filter(below_promoter(), team=team)
    start = now - timedelta(days=days)
    if reasons_withheld(team, start):
        return []
    if team.anonymous:
        responses = responses.filter(created_at__gte=start)
    else:  # answers given while it was anonymous: only where the group was counted
        responses = responses.exclude(link_key__isnull=False, created_at__lt=start)
    return list(
        responses.select_related("team", "invitation__ticket")
        .prefetch_related("tags__reason", "reasons")
        .order_by("-created_at", "-id")[:limit]
    )


def response_tags_set(*, response: Response, reasons, by, now: datetime | None = None) -> None:
    """Staff decide the response's reasons: kept suggestions become staff tags, others go."""
    now = now or timezone.now()
    wanted = {reason.id for reason in reasons}
    with transaction.atomic():
        response.tags.exclude(reason_id__in=wanted).delete()
        response.tags.filter(reason_id__in=wanted).update(
            source=ResponseTag.Source.STAFF, tagged_by=by
        )
        have = set(response.tags.values_list("reason_id", flat=True))
        ResponseTag.objects.bulk_create(
            ResponseTag(
                response=response,
                reason_id=reason_id,
                source=ResponseTag.Source.STAFF,
                tagged_by=by,
                created_at=now,
            )
            for reason_id in sorted(wanted - have)
        )


def _tag_pairs(responses) -> set[tuple[int, int]]:
    """(response id, reason id) from staff/keyword tags and requesters' quick picks, once each."""
    ids = responses.values("id")
    tags = ResponseTag.objects.filter(response__in=ids)
    pairs = set(tags.values_list("response_id", "reason_id"))
    picks = Response.reasons.through.objects.filter(response__in=ids)
    pairs.update(picks.values_list("response_id", "reason_id"))
    return pairs


@dataclass(frozen=True)
class ReasonCount:
    reason: Reason
    detractors: int
    passives: int

    @property
    def total(self) -> int:
        return self.detractors + self.passives


def _local_day(instant: datetime) -> date:
    return timezone.localtime(instant, timezone.get_default_timezone()).date()


def reasons_withheld(team, start: datetime, end: datetime | None = None) -> bool:
    """Whether an anonymous team's reasons in [start, end) stand on too few people to be shown.

    Reasons are results like scores: "one detractor, rude" in a group of two tells who said it.
    The group is the team's, in the same days, as for its scores and comments on the team page.
    """
    until = _local_day(end - timedelta(microseconds=1)) if end else timezone.localdate()
    return team_tally(team, _local_day(start), until).withheld


def reason_counts(team, start: datetime, end: datetime | None = None) -> list[ReasonCount]:
    """Reasons behind the team's detractors and passives in [start, end), most frequent first;
    none while an anonymous team's group is too small (reasons_withheld)."""
    if reasons_withheld(team, start, end):
        return []
    responses = Response.objects.filter(below_promoter(), team=team, created_at__gte=start)
    if end is not None:
        responses = responses.filter(created_at__lt=end)
    # The bad band of each answer's own scale: detractors, the dissatisfied, "difficult".
    worst = {
        response_id: score in scale_for(kind).worst
        for response_id, score, kind in responses.values_list("id", "score", "question_type")
    }
    detractors: Counter[int] = Counter()  # reason id → answers
    passives: Counter[int] = Counter()
    for response_id, reason_id in _tag_pairs(responses):
        (detractors if worst[response_id] else passives)[reason_id] += 1
    reasons = Reason.objects.in_bulk(set(detractors) | set(passives))
    rows = [
        ReasonCount(reason, detractors[reason_id], passives[reason_id])
        for reason_id, reason in reasons.items()
    ]
    return sorted(rows, key=lambda row: (-row.total, row.reason.position, row.reason.slug))


@dataclass(frozen=True)
class ReasonTrend:
    reason: Reason
    counts: list[int | None]  # one per month, oldest first; None: an anonymous small group


def _month_start(day: date, back: int) -> date:
    month = day.year * 12 + day.month - 1 - back
    return date(month // 12, month % 12 + 1, 1)


def reason_trend(team, now: datetime, months: int = 6) -> tuple[list[date], list[ReasonTrend]]:
    """Per calendar month (organisation's zone), how often each reason came up below a promoter."""
    zone = timezone.get_default_timezone()
    today = timezone.localtime(now, zone).date()
    starts = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    start = datetime.combine(starts[0], datetime.min.time(), tzinfo=zone)
    responses = Response.objects.filter(below_promoter(), team=team, created_at__gte=start)
    month_of = {
        response_id: timezone.localtime(created, zone).date().replace(day=1)
        for response_id, created in responses.values_list("id", "created_at")
    }
    counts: defaultdict[int, Counter[date]] = defaultdict(Counter)  # reason id → month → answers
    for response_id, reason_id in _tag_pairs(responses):
        counts[reason_id][month_of[response_id]] += 1
    reasons = Reason.objects.in_bulk(list(counts))
    # An anonymous team's months with too few people show no counts, as in its own trend.
    points = trend(team, starts[0], today, "month")
    withheld = {start for start, tally in points if tally.withheld}
    trends = [
        ReasonTrend(
            reason,
            [None if month in withheld else counts[reason_id][month] for month in starts],
        )
        for reason_id, reason in sorted(
            reasons.items(), key=lambda item: (item[1].position, item[1].slug)
        )
    ]
    return starts, trends
