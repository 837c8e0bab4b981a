"""Turning a person's rows into bare counts: the one shape both retention and erasure leave.

An answer keeps its score, team, agent, day and reasons (surveys/unlinked.py's form); an
invitation keeps its team, agent, status and days. What the dashboards and `check_rollups`
count (a response's day, an invitation's sent day and whether it was answered) never moves,
so no rollup changes: every time is moved to its own day's midnight, never to another day.
"""

import secrets
from datetime import datetime

from django.db.models import Case, OuterRef, Q, QuerySet, Subquery, When

from campaigns.models import CampaignAnswer, CampaignInvitation
from followups.models import CaseAlert, CaseWebhookPost, FollowUpCase
from integrations.models import WriteBack
from surveys.models import Invitation, Response
from surveys.unlinked import answer_day
from webhooks.models import WebhookDelivery

# Rows changed per UPDATE batch: bulk_update builds one CASE per field and row.
BATCH = 500
# Not yet sent: a dispatcher may be about to send them, so they are deleted, never unlinked.
UNSENT = (Invitation.Status.PLANNED, Invitation.Status.SENDING)
CAMPAIGN_UNSENT = (CampaignInvitation.Status.PLANNED, CampaignInvitation.Status.SENDING)


def _day(instant: datetime | None) -> datetime | None:
    return None if instant is None else answer_day(instant)


def responses_unlink(responses: QuerySet[Response]) -> int:
    """Unlink answers: no invitation, no link key, no comment, the day only. Their follow-up
    cases stay (the team's follow-up figures count them), without the answer's time; callers
    remove the cases' notes."""
    rows = list(responses.only("id", "created_at", "updated_at"))
    for response in rows:
        response.invitation = None
        response.link_key = None
        response.comment = ""
        response.created_at = answer_day(response.created_at)
        response.updated_at = answer_day(response.updated_at)
    fields = ["invitation", "link_key", "comment", "created_at", "updated_at"]
    Response.objects.bulk_update(rows, fields, batch_size=BATCH)
    ids = [row.pk for row in rows]
    _cases_to_day(FollowUpCase.objects.filter(response__in=ids))
    # Their webhook deliveries were planned and sent at the answer's time: they go.
    WebhookDelivery.objects.filter(Q(response__in=ids) | Q(case__response__in=ids)).delete()
    # Their write-backs would still tell when they were given; one not yet sent has no ticket
    # to go to any more. (The notes already on the tickets are the helpdesk's to erase.)
    WriteBack.objects.filter(response__in=ids).delete()
    return len(rows)


def _cases_to_day(cases: QuerySet[FollowUpCase]) -> None:
    """A case is opened, and its leads alerted, the moment its answer arrives: those times
    would give the unlinked answer its time of day back. Every time of the case moves back by
    the opening's time of day, so that it opens at midnight of its day and its deadline and
    follow-up keep their distance from the opening (its "in time" stays as it was)."""
    rows = list(cases)
    for case in rows:
        shift = case.opened_at - answer_day(case.opened_at)
        case.opened_at -= shift
        case.due_at -= shift
        if case.followed_up_at is not None:
            case.followed_up_at -= shift
        # Claims that the alert went out, once: kept set, at no time of their own.
        case.alerted_at = case.opened_at if case.alerted_at else None
        case.webhook_posted_at = case.opened_at if case.webhook_posted_at else None
    fields = ["opened_at", "due_at", "followed_up_at", "alerted_at", "webhook_posted_at"]
    FollowUpCase.objects.bulk_update(rows, fields, batch_size=BATCH)
    # Its alert e-mails and chat post were planned, claimed and sent at the answer's time too.
    opened = Subquery(FollowUpCase.objects.filter(pk=OuterRef("case_id")).values("opened_at"))
    for outgoing in (CaseAlert, CaseWebhookPost):
        outgoing.objects.filter(case__in=rows).update(
            send_after=opened,
            claimed_at=Case(When(claimed_at__isnull=False, then=opened)),
            sent_at=Case(When(sent_at__isnull=False, then=opened)),
        )


def invitations_unlink(invitations: QuerySet[Invitation], *, keep_ticket: bool) -> int:
    """Unlink invitations from their requester (and, unless kept, their ticket); no token, and
    of their times only the days, so that only "sent on day D, answered or not" remains."""
    rows = list(invitations.exclude(status__in=UNSENT))
    tags: dict[int, str] = {}
    for invitation in rows:
        if invitation.requester_id is not None:
            # One fresh random mark per person and run (see Invitation.person_tag).
            tag = tags.setdefault(invitation.requester_id, secrets.token_hex(8))
            invitation.person_tag = tag
        if not keep_ticket:
            invitation.ticket = None
        invitation.requester = None
        # "bounced: 550 <ann@example.org> unknown" keeps its first word only.
        invitation.reason = invitation.reason.partition(":")[0]
        invitation.token_hash = invitation.reminder_token_hash = None
        invitation.claimed_by = ""
        invitation.claimed_at = invitation.answered_at = invitation.scanned_at = None
        invitation.remind_at = invitation.reminded_at = None
        invitation.sent_at = _day(invitation.sent_at)
        invitation.expires_at = _day(invitation.expires_at)
        invitation.created_at = answer_day(invitation.created_at)
    fields = [
        "ticket",
        "requester",
        "person_tag",
        "reason",
        "token_hash",
        "reminder_token_hash",
        "claimed_by",
        "claimed_at",
        "answered_at",
        "scanned_at",
        "remind_at",
        "reminded_at",
        "sent_at",
        "expires_at",
        "created_at",
    ]
    Invitation.objects.bulk_update(rows, fields, batch_size=BATCH)
    return len(rows)


def campaign_answers_unlink(answers: QuerySet[CampaignAnswer]) -> int:
    """A periodic survey's answer keeps its score and day; its open answers go, like comments."""
    return answers.update(invitation=None, answer_1="", answer_2="", answer_3="")


def campaign_invitations_unlink(invitations: QuerySet[CampaignInvitation]) -> int:
    """Keeps whether it was sent and answered (the survey's response rate), not who or when."""
    rows = list(invitations)
    for invitation in rows:
        invitation.requester = None
        invitation.token_hash = None
        invitation.answered_on = None
        invitation.sent_at = _day(invitation.sent_at)
        invitation.expires_at = _day(invitation.expires_at)
    fields = ["requester", "token_hash", "answered_on", "sent_at", "expires_at"]
    CampaignInvitation.objects.bulk_update(rows, fields, batch_size=BATCH)
    return len(rows)
