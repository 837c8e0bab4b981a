"""Writes for follow-up cases. `response_recorded` hears of every answer (receivers.py)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from surveys.anonymity import identified
from surveys.models import Response

from . import signals, tasks
from .models import CaseNote, FollowUpCase, TeamRules
from .rootcauses import tags_suggest

logger = logging.getLogger(__name__)


def working_days_after(start: datetime, days: int) -> datetime:
    """`days` working days (Monday–Friday, in the organisation's zone) after `start`.

    Counted in local time so that "two working days" from Friday 10:00 is Tuesday 10:00 on the
    clock people read, also across a daylight-saving change.
    """
    local = timezone.localtime(start, timezone.get_default_timezone())
    day, added = local.date(), 0
    while added < days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            added += 1
    due = datetime.combine(day, local.time(), tzinfo=local.tzinfo)
    return due.astimezone(start.tzinfo)


def response_recorded(*, response: Response, now: datetime, new: bool) -> None:
    """For every `new` or changed answer, once stored (surveys' response_settled, the answer's
    row locked). Safe to run twice: the tags skip reasons already there, a case is opened
    once (then only follows the score), a score already noted is not noted again."""
    tags_suggest(response=response, new=new)
    case = FollowUpCase.objects.filter(response=response).first()
    if case is not None:
        _case_score_changed(case=case, score=response.score, now=now)
        return
    if not identified(response):
        return  # a call-back would reveal who answered; the survey page promised anonymity
    rules = TeamRules.for_team(response.team_id)
    if response.score <= rules.threshold_for(response.question_type):
        case_open(response=response, now=now)


def case_open(*, response: Response, now: datetime) -> FollowUpCase:
    case = FollowUpCase.objects.create(
        response=response,
        team_id=response.team_id,
        opening_score=response.score,
        latest_score=response.score,
        opened_at=now,
        due_at=working_days_after(now, settings.ITPULSE_FOLLOWUP_WORKING_DAYS),
    )
    signals.case_opened.send(FollowUpCase, case=case, now=now)
    case_id = case.id
    transaction.on_commit(lambda: tasks.alert_case.delay(case_id))
    transaction.on_commit(lambda: tasks.post_case_webhook.delay(case_id))
    return case


def _case_score_changed(*, case: FollowUpCase, score: int, now: datetime) -> None:
    # A detractor who turns promoter closes nothing by itself: a person decides, seeing this.
    if score == case.latest_score:
        return
    CaseNote.objects.create(
        case=case,
        kind=CaseNote.Kind.SCORE_CHANGED,
        old_value=str(case.latest_score),
        new_value=str(score),
        created_at=now,
    )
    case.latest_score = score
    case.save(update_fields=["latest_score"])


def case_set_status(*, case: FollowUpCase, status: str, by, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if status not in FollowUpCase.Status.values:
        raise ValueError(f"unknown status {status!r}")
    if status == case.status:
        return False
    with transaction.atomic():
        CaseNote.objects.create(
            case=case,
            kind=CaseNote.Kind.STATUS_CHANGED,
            author=by,
            old_value=case.status,
            new_value=status,
            created_at=now,
        )
        case.status = status
        fields = ["status"]
        if status != FollowUpCase.Status.OPEN and case.followed_up_at is None:
            case.followed_up_at = now
            fields.append("followed_up_at")
        case.save(update_fields=fields)
    return True


def case_set_owner(*, case: FollowUpCase, owner, by, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if owner == case.owner:
        return False
    with transaction.atomic():
        CaseNote.objects.create(
            case=case,
            kind=CaseNote.Kind.OWNER_CHANGED,
            author=by,
            old_value=case.owner.get_username() if case.owner else "",
            new_value=owner.get_username() if owner else "",
            created_at=now,
        )
        case.owner = owner
        case.save(update_fields=["owner"])
    return True


def case_note_add(*, case: FollowUpCase, text: str, by, now: datetime | None = None) -> CaseNote:
    text = text.strip()
    if not text:
        raise ValueError("a note needs text")
    return CaseNote.objects.create(
        case=case, author=by, text=text, created_at=now or timezone.now()
    )
