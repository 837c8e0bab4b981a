"""Writes. Each service is one operation, called by views, the API, commands and tasks alike."""

import logging
import secrets
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import scanning, signals, sql, tasks, unlinked
from .closing import ClosedTicket, agent_upsert, ticket_close
from .models import Invitation, LinkClick, Reason, Requester, Response, hash_token
from .scales import scale_for

# Closing tickets has its own module (closing.py); these names stay importable from here too.
__all__ = ["ClosedTicket", "agent_upsert", "ticket_close"]

logger = logging.getLogger(__name__)


def requester_language_choose(
    *, requester: Requester, language: str, now: datetime, invitation: Invitation | None = None
) -> bool:
    """The person picked `language` on the survey page: their later e-mails come in it, whatever
    the helpdesk's field says (surveys/closing.py leaves a chosen language alone).

    Picked while answering `invitation` of an anonymous team, the choice is dated by the day
    that survey was sent: the time it was made is the time of the answer, which the person's
    row must not tell (surveys/unlinked.py)."""
    if requester.language == language and requester.language_chosen_at is not None:
        return False
    if invitation is not None and invitation.team.anonymous:
        now = unlinked.answer_day(invitation.sent_at or invitation.created_at)
    requester.language, requester.language_chosen_at = language, now
    requester.save(update_fields=["language", "language_chosen_at"])
    return True


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    found = sql.select_joined(
        Invitation,
        ("requester", "team", "agent", "ticket"),
        "(surveys_invitation.token_hash = %s OR surveys_invitation.reminder_token_hash = %s)",
        [digest, digest],
        # Whether the page offers quick picks, in the same statement (SurveyForm: reasons_offered).
        extra=[("reasons_offered", REASONS_OFFERED)],
        suffix="ORDER BY surveys_invitation.created_at DESC LIMIT 1",
    )
    if not found:
        return None
    invitation = found[0]
    invitation.reasons_offered = bool(invitation.reasons_offered)  # SQLite's is 0 or 1
    return invitation


# The team of the invitation being read has an active quick-pick reason.
REASONS_OFFERED = (
    "EXISTS (SELECT 1 FROM surveys_team_quick_pick_reasons q"
    " JOIN surveys_reason r ON r.id = q.reason_id"
    " WHERE q.team_id = surveys_invitation.team_id AND r.active)"
)


class NotAnswerable(Exception):
    """The link is expired or no longer accepts an answer."""


class AlreadyAnswered(NotAnswerable):
    """An anonymous answer was given through the invitation's other link (the first e-mail's or
    the reminder's): only the link that gave it can find it again, so this one cannot change
    it, nor give a second answer."""


def answer_for_link(invitation: Invitation, token: str) -> Response | None:
    """The answer given through this invitation, as its link holder may see it: the linked
    response, or the unlinked one this very link gave (see surveys/unlinked.py)."""
    if invitation.status != Invitation.Status.ANSWERED:
        return None
    named = sql.select(Response, "invitation_id = %s", [invitation.pk])
    if named or not token:
        return named[0] if named else None
    where, keys = sql.is_in("link_key", unlinked.link_keys(token))
    return next(iter(sql.select(Response, where, keys, suffix="LIMIT 1")), None)


class ScoreOutOfScale(ValueError):
    """The score is not on the scale of the question asked (the survey form says so first)."""


def answer_question_type(invitation: Invitation, answer: Response | None) -> str:
    """The question type, and so the scale, an answer through this invitation is given on: a
    changed answer keeps the one it was first given on, a new one takes the team's type now.
    The page shows these buttons and the answer is stored on them, whatever an older e-mail
    showed (a score in its link outside them is simply not pre-selected)."""
    return answer.question_type if answer is not None else invitation.team.question_type


def response_submit(
    *,
    invitation: Invitation,
    score: int,
    comment: str = "",
    reasons: Iterable[Reason] | None = None,
    now: datetime | None = None,
    token: str = "",
) -> Response:
    """Store or change the answer given through an invitation.

    While the team is anonymous the answer is stored unlinked (surveys/unlinked.py) and only
    `token`, the link it came through, can find it again. `reasons` are the requester's quick
    picks; None leaves a changed answer's picks as they were.

    One short transaction: the invitation's row lock, the answer, the invitation's status and
    the counts (scoring, last: their rows are the ones every answer of the team and day
    shares). What follows from the answer (tags, the follow-up case and its alerts,
    write-backs, webhooks) runs after the commit, in the task answer_follow_through.
    """
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the invitation so two quick submits of the same form give one response. Its row
        # only (OF): locking the team's too would queue every answer of the team behind this one.
        [invitation] = sql.select_joined(
            Invitation,
            ("team",),
            "surveys_invitation.id = %s",
            [invitation.pk],
            suffix=sql.for_no_key_update_of(Invitation._meta.db_table),
        )
        if not invitation.is_answerable(now):
            raise NotAnswerable
        response = answer_for_link(invitation, token)
        first = invitation.status != Invitation.Status.ANSWERED
        if response is None and not first and invitation.team.anonymous:
            raise AlreadyAnswered
        created, old_score = response is None, None
        kind = answer_question_type(invitation, response)
        if score not in scale_for(kind).scores:
            raise ScoreOutOfScale(f"score {score} is not on the {kind} scale")
        if response is None:
            response = _response_create(invitation, token, score, comment, now)
        else:
            old_score = response.score
            response.score, response.comment = score, comment
            response.updated_at = unlinked.answer_day(now) if response.is_unlinked else now
            response.save(update_fields=["score", "comment", "updated_at"])
        if reasons is not None:
            reasons = list(reasons)
            if reasons or not created:  # a new answer has none to remove
                _reasons_set(response, reasons)
        if first:
            invitation.status = Invitation.Status.ANSWERED
            # An unlinked answer's invitation keeps that it was answered, never when.
            invitation.answered_at = None if response.is_unlinked else now
            invitation.save(update_fields=["status", "answered_at"])
        signals.response_recorded.send(
            Response,
            response=response,
            now=now,
            new=created,
            old_score=old_score,
            answered=invitation if first else None,
        )
        response_id = response.pk
        transaction.on_commit(lambda: tasks.answer_follow_through.delay(response_id, created))
    return response


def answer_follow_through(*, response_id: int, new: bool) -> None:
    """What follows from an answer once it is stored (signals.response_settled's receivers),
    in a transaction of its own with the answer's row locked, so that two runs for one answer
    (a change right after it, a retried task) take turns and each sees what the other wrote.
    An answer deleted since has nothing left to follow."""
    with transaction.atomic():
        response = (
            Response.objects.select_for_update(of=("self",))
            .select_related("team", "invitation__requester", "invitation__ticket")
            .filter(pk=response_id)
            .first()
        )
        if response is None:
            return
        # The answer's own time (an unlinked answer's: its day), not the worker's.
        signals.response_settled.send(Response, response=response, now=response.updated_at, new=new)


def _response_create(
    invitation: Invitation, token: str, score: int, comment: str, now: datetime
) -> Response:
    if invitation.team.anonymous:
        # Unlinked (surveys/unlinked.py): no invitation, the day only, the link's keyed hash.
        link: dict[str, object] = {"link_key": unlinked.link_key(token) if token else None}
        when = unlinked.answer_day(now)
        # The openings of this invitation's links would tell this answer's score and, beside
        # its day, which answer is this invitation's: they go. (The staff page's scanner
        # figures then count it as not opened.)
        LinkClick.objects.filter(invitation=invitation).delete()
        # Whether the reminder went out before the answer would date the answer too (before
        # or after that day): answered, every such invitation looks the same. A reminder link
        # nobody holds stands in for one never sent; a sent one keeps working.
        Invitation.objects.filter(pk=invitation.pk).update(
            remind_at=None,
            reminded_at=None,
            reminder_token_hash=Coalesce(
                "reminder_token_hash", Value(hash_token(secrets.token_urlsafe(32)))
            ),
        )
    else:
        link, when = {"invitation": invitation}, now
    return Response.objects.create(
        **link,
        id=unlinked.row_id() if invitation.team.anonymous else None,
        team_id=invitation.team_id,
        agent_id=invitation.agent_id,
        score=score,
        question_type=invitation.team.question_type,
        comment=comment,
        **_slice_of(invitation),
        created_at=when,
        updated_at=when,
    )


def _slice_of(invitation: Invitation) -> dict[str, str]:
    """The answer's copy of its ticket's slice; unknown for a ticket or requester gone, and
    for an anonymous team's answer: its department and ticket's category, priority and channel
    beside its day could lead back to the one person who asked."""
    if invitation.team.anonymous:
        return {}
    ticket, requester = invitation.ticket, invitation.requester
    return {
        "slice_category": ticket.category if ticket else "",
        "slice_priority": ticket.priority if ticket else "",
        "slice_channel": ticket.channel if ticket else "",
        "slice_department": requester.department if requester else "",
    }


def _reasons_set(response: Response, reasons: Iterable[Reason]) -> None:
    if not response.is_unlinked:
        response.reasons.set(reasons)
        return
    # As reasons.set(), with random row ids (surveys/unlinked.py: row_id).
    through = Response.reasons.through
    wanted = {reason.pk for reason in reasons}
    rows = through.objects.filter(response_id=response.pk)
    rows.exclude(reason_id__in=wanted).delete()
    have = set(rows.values_list("reason_id", flat=True))
    through.objects.bulk_create(
        through(id=unlinked.row_id(), response_id=response.pk, reason_id=reason_id)
        for reason_id in sorted(wanted - have)
    )


def response_delete(*, response: Response) -> None:
    """Remove an answer (a test answer, an administrator's correction) and its counts.

    A linked answer's invitation goes back to sent, so the dashboard's answered count drops
    with it; whether its link still works depends only on its expiry. An unlinked answer has
    no invitation to go back: its invitation stays answered (nothing can tell which one it is).
    """
    with transaction.atomic():
        invitation = None
        if response.invitation_id is not None:
            invitation = Invitation.objects.select_for_update().get(pk=response.invitation_id)
        current = Response.objects.filter(pk=response.pk).first()
        if current is None:
            return  # deleted meanwhile: its counts went with it
        current.delete()  # its counts: scoring's post_delete receiver, for every path
        if invitation is not None and invitation.status == Invitation.Status.ANSWERED:
            invitation.status = Invitation.Status.SENT
            invitation.answered_at = None
            invitation.save(update_fields=["status", "answered_at"])
            signals.invitation_answered.send(Invitation, invitation=invitation, delta=-1)


def link_click_record(
    *, invitation: Invitation, score: int | None, user_agent: str, now: datetime | None = None
) -> LinkClick | None:
    """Record one opening of a survey link and flag the invitation when it looks like a scan.

    Not once an anonymous team's invitation is answered: an opening then is the requester
    coming back to see or change the answer, and its time would pair the invitation with the
    day the answer changed. Earlier openings went with the answer (_response_create)."""
    now = now or timezone.now()
    if invitation.team.anonymous and invitation.status == Invitation.Status.ANSWERED:
        return None
    sent_at = invitation.sent_at or invitation.claimed_at
    since_sent = max(int((now - sent_at).total_seconds()), 0) if sent_at else None
    click = LinkClick.objects.create(
        invitation=invitation,
        clicked_at=now,
        seconds_since_sent=since_sent,
        score=score,
        client=scanning.client_class(user_agent),
    )
    if invitation.scanned_at is None and scanning.looks_scanned(invitation, click, now):
        # Conditional, so the first detection time stands when scanner requests race.
        Invitation.objects.filter(pk=invitation.pk, scanned_at=None).update(scanned_at=now)
        invitation.scanned_at = now
    return click


def requester_opt_out(*, requester: Requester, now: datetime | None = None) -> bool:
    """Stop all surveys to this person, including any still waiting to be sent.

    Returns whether anything changed; a second opt-out (a mail client's one-click POST
    repeated) keeps the first time.
    """
    now = now or timezone.now()
    with transaction.atomic():
        changed = Requester.objects.filter(pk=requester.pk, opted_out_at=None).update(
            opted_out_at=now
        )
        Invitation.objects.filter(requester=requester, status=Invitation.Status.PLANNED).update(
            status=Invitation.Status.SUPPRESSED, reason="opted out"
        )
    requester.refresh_from_db(fields=["opted_out_at"])
    return bool(changed)


def requester_opt_in(*, requester: Requester) -> bool:
    """Undo an opt-out: future tickets get a survey again."""
    changed = Requester.objects.filter(pk=requester.pk, opted_out_at__isnull=False).update(
        opted_out_at=None
    )
    requester.refresh_from_db(fields=["opted_out_at"])
    return bool(changed)


def invitations_expire(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return Invitation.objects.filter(status=Invitation.Status.SENT, expires_at__lte=now).update(
        status=Invitation.Status.EXPIRED
    )
