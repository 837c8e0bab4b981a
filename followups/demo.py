"""The demo's follow-up work (accounts.signals.demo_loaded): cases in every state and the
reasons staff confirmed, made through this app's services as the product makes them.

The demo's answers were loaded in bulk (surveys/demo.py), past the signal that opens cases; here
the recent detractors are given to `response_recorded` as they would have been when they came in
(a case, keyword suggestions), and the team lead then works the cases: the oldest closed with
their root cause or as needing no action, the middle ones contacted with an owner, the newest
still open."""

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction

from scoring.categories import below_promoter
from surveys.anonymity import identified
from surveys.demo import SOURCE
from surveys.models import Reason, Response

from .models import FollowUpCase
from .rootcauses import response_tags_set
from .services import (
    case_note_add,
    case_set_owner,
    case_set_status,
    response_recorded,
)

CASE_DAYS = 30  # the detractors of these last days have a case
REASON_DAYS = 180  # the detractors and passives of these last days have confirmed reasons
# The demo's comments (surveys/demo.py) → the reason a person reading them would confirm.
COMMENT_REASON = {
    "Nobody told me what was going on for a week.": "communication",
    "Een week lang geen enkele terugkoppeling.": "communication",
    "Ticket closed but the problem is still there.": "solution",
    "Ticket gesloten maar het probleem is er nog steeds.": "solution",
    "I had to explain the issue three times.": "knowledge",
    "Ik moest het probleem drie keer uitleggen.": "knowledge",
    "Fine, but it took a few days.": "speed",
    "Prima, maar het duurde een paar dagen.": "speed",
}

# A detractor without a comment tells the lead on the phone; in the demo, it was the solution.
ROOT_CAUSE_WITHOUT_COMMENT = "solution"


def _demo_responses():
    return Response.objects.filter(invitation__ticket__source=SOURCE).select_related(
        "team", "invitation__requester", "invitation__ticket"
    )


def _at(moment: datetime, now: datetime) -> datetime:
    """A step of the work, never after the demo's present."""
    return min(moment, now)


def _confirm_reasons(*, lead: User, now: datetime) -> None:
    reasons = {reason.slug: reason for reason in Reason.objects.all()}
    recent = (
        _demo_responses()
        .filter(below_promoter(), created_at__gte=now - timedelta(days=REASON_DAYS))
        .exclude(comment="")
    )
    for response in recent:
        reason = reasons.get(COMMENT_REASON.get(response.comment, ""))
        if reason is None or not identified(response):
            continue
        by = lead if response.team.leads.filter(pk=lead.pk).exists() else None
        tagged = _at(response.created_at + timedelta(days=1), now)
        response_tags_set(response=response, reasons=[reason], by=by, now=tagged)


def _work(case: FollowUpCase, position: int, count: int, *, lead: User, now: datetime) -> None:
    """Oldest third closed (the second oldest as needing no action), middle third
    contacted with an owner, newest third left open."""
    if position >= count * 2 // 3:
        return
    owner = lead if case.team.leads.filter(pk=lead.pk).exists() else None
    by = owner
    if owner is not None:
        assigned = _at(case.opened_at + timedelta(hours=2), now)
        case_set_owner(case=case, owner=owner, by=by, now=assigned)
    called = _at(case.opened_at + timedelta(hours=20), now)
    case_set_status(case=case, status=FollowUpCase.Status.CONTACTED, by=by, now=called)
    case_note_add(
        case=case,
        text="Called the requester: explained what happened and agreed on the next step.",
        by=by,
        now=called,
    )
    if position >= count // 3:
        return
    closed = _at(case.opened_at + timedelta(days=3), now)
    if position == 1:  # the second oldest: the requester had had their answer already
        case_set_status(case=case, status=FollowUpCase.Status.NO_ACTION, by=by, now=closed)
        return
    if not case.response.tags.exists():  # closed with its root cause: a reason confirmed
        root_cause = Reason.objects.get(slug=ROOT_CAUSE_WITHOUT_COMMENT)
        response_tags_set(response=case.response, reasons=[root_cause], by=by, now=closed)
    case_set_status(case=case, status=FollowUpCase.Status.RESOLVED, by=by, now=closed)


def load_followups(*, lead: User, now: datetime) -> int:
    """Cases and confirmed reasons for the demo's recent answers, once. Returns the cases made."""
    if FollowUpCase.objects.filter(response__invitation__ticket__source=SOURCE).exists():
        return 0
    with transaction.atomic():
        recent = _demo_responses().filter(created_at__gte=now - timedelta(days=CASE_DAYS))
        for response in recent.order_by("created_at", "id"):
            response_recorded(response=response, now=response.created_at, new=True)
        # The confirmed reasons first: a resolved case's root cause is its response's reason.
        _confirm_reasons(lead=lead, now=now)
        cases = list(
            FollowUpCase.objects.filter(response__in=recent.values("id"))
            .select_related("team", "response")
            .order_by("opened_at", "id")
        )
        by_team: dict[int, list[FollowUpCase]] = {}
        for case in cases:
            by_team.setdefault(case.team_id, []).append(case)
        for team_cases in by_team.values():  # every state in every team, the lead's included
            for position, case in enumerate(team_cases):
                _work(case, position, len(team_cases), lead=lead, now=now)
    return len(cases)
