"""The periodic survey: choosing the sample, launching, answering (writes) and its results (read).

Sending is the delivery engine's (campaigns/sending.py)."""

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from delivery import engine
from delivery.rules import opted_out_by_hash
from delivery.tasks import nudge
from scoring.nps import Score, histogram
from surveys.models import Requester, hash_token
from surveys.privacy import group_shown
from surveys.scales import NPS

from . import sending
from .models import Campaign, CampaignAnswer, CampaignInvitation, CampaignReminder

logger = logging.getLogger(__name__)


def eligible_requester_ids(campaign: Campaign, now: datetime) -> list[int]:
    """Requesters with a ticket closed in the lookback window, not opted out, and neither sent a
    ticket survey nor a periodic survey in the last `not_surveyed_days` days. In id order."""
    recent = now - timedelta(days=campaign.not_surveyed_days)
    requesters = (
        Requester.objects.filter(
            opted_out_at__isnull=True,
            tickets__closed_at__gte=now - timedelta(days=campaign.lookback_days),
        )
        .exclude(invitations__sent_at__gte=recent)
        .exclude(campaign_invitations__sent_at__gte=recent)
        .exclude(campaign_invitations__campaign=campaign)
        .exclude(opted_out_by_hash())
        .distinct()
        .order_by("id")
    )
    return list(requesters.values_list("id", flat=True))


def campaign_sample(campaign: Campaign, now: datetime) -> list[int]:
    """A uniform random sample without replacement; the same seed and data give the same one."""
    eligible = eligible_requester_ids(campaign, now)
    return sorted(
        random.Random(campaign.seed).sample(eligible, min(campaign.sample_size, len(eligible)))
    )


# Launching owns these: an edit saved after a concurrent launch must not put the draft back.
_SET_BY_LAUNCH = {"status", "launched_at", "finished_at", "created_at"}


def campaign_save(*, campaign: Campaign) -> Campaign:
    """Create or edit a campaign; refuses (ValidationError) what may not change after launch.

    The stored row is locked first, so a launch either happened before (and the check sees it) or
    waits for this edit (and samples and sends with it)."""
    adding = campaign._state.adding
    with transaction.atomic():
        if not adding:
            Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        campaign.full_clean()
        if adding:
            campaign.save()
        else:
            fields = [
                model_field.name
                for model_field in Campaign._meta.concrete_fields
                if not model_field.primary_key and model_field.name not in _SET_BY_LAUNCH
            ]
            campaign.save(update_fields=fields)
    return campaign


def campaign_launch(*, campaign: Campaign, now: datetime | None = None) -> int:
    """Draw the sample and plan its invitations (and their reminders), once: the conditional
    UPDATE draft → running is the claim, so a beat tick, a second worker and a click on
    "launch" racing each other launch it once; whoever updated no row launches nothing.

    A repeating survey's next round is scheduled in the same transaction, so it too exists
    once. The delivery engine sends the invitations (campaigns/sending.py), in claimed batches;
    the nudge after commit only makes it start at once instead of at the next beat tick."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.DRAFT).update(
            status=Campaign.Status.RUNNING, launched_at=now
        )
        if not claimed:
            return 0
        campaign.refresh_from_db()
        chosen = campaign_sample(campaign, now)
        invitations = CampaignInvitation.objects.bulk_create(
            (
                CampaignInvitation(campaign=campaign, requester_id=requester_id, send_after=now)
                for requester_id in chosen
            ),
            batch_size=2000,
        )
        if campaign.reminder_after_days:
            remind_at = now + timedelta(days=campaign.reminder_after_days)
            CampaignReminder.objects.bulk_create(
                (
                    CampaignReminder(invitation=invitation, send_after=remind_at)
                    for invitation in invitations
                ),
                batch_size=2000,
            )
        _schedule_next_round(campaign, now)
        transaction.on_commit(nudge)
    return len(chosen)


def _schedule_next_round(campaign: Campaign, now: datetime) -> Campaign | None:
    """A repeating survey's next round: a scheduled draft with the same settings and a new
    sample, editable (question and anonymity included) until it launches in turn."""
    launch_at = campaign.next_launch_at(now)
    if launch_at is None:
        return None
    copied = {
        f.name: getattr(campaign, f.name)
        for f in Campaign._meta.concrete_fields
        if not f.primary_key
        and f.name not in {"status", "launched_at", "finished_at", "created_at", "seed"}
    }
    return Campaign.objects.create(**{**copied, "launch_at": launch_at})


def campaigns_launch_due(*, now: datetime) -> int:
    """Launch every scheduled draft whose date has come (the beat's task). Safe to run twice or
    in two workers at once: each launch is claimed (campaign_launch)."""
    due = Campaign.objects.filter(status=Campaign.Status.DRAFT, launch_at__lte=now)
    launched = 0
    for campaign in due.order_by("launch_at", "pk"):
        campaign_launch(campaign=campaign, now=now)
        # Refreshed by campaign_launch only when this call launched it (not a rival worker).
        launched += campaign.status == Campaign.Status.RUNNING
    return launched


def campaigns_finish_ended(*, now: datetime) -> int:
    """Running surveys whose links have all expired become finished (the beat's task)."""
    finished = 0
    for campaign in Campaign.objects.filter(status=Campaign.Status.RUNNING):
        closes_at = campaign.closes_at
        if closes_at is not None and closes_at <= now:
            finished += Campaign.objects.filter(
                pk=campaign.pk, status=Campaign.Status.RUNNING
            ).update(status=Campaign.Status.FINISHED, finished_at=now)
    return finished


def campaign_resume(*, campaign: Campaign, now: datetime | None = None) -> int:
    """Launching a running campaign again resumes it: rows a dead worker left in "sending" go
    back in line (once their claim is older than any live run may hold it, as the beat tick's
    reclaim does) and sending starts at once, without waiting for the tick. Returns how many
    invitations are still to send."""
    now = now or timezone.now()
    engine.reclaim_stuck(sending.KIND, now=now)
    left = CampaignInvitation.objects.filter(
        campaign=campaign,
        status__in=[CampaignInvitation.Status.PLANNED, CampaignInvitation.Status.SENDING],
    ).count()
    if left:
        transaction.on_commit(nudge)
    return left


def campaign_invitation_for_token(token: str) -> CampaignInvitation | None:
    if not token or len(token) > 100:
        return None
    hashed = hash_token(token)
    return (
        CampaignInvitation.objects.select_related("campaign", "requester")
        .filter(Q(token_hash=hashed) | Q(reminder_token_hash=hashed))
        .first()
    )


class NotAnswerable(Exception):
    """Expired, not sent, or already answered."""


def campaign_answer_submit(
    *, invitation: CampaignInvitation, score: int, answers: list[str], now: datetime | None = None
) -> CampaignAnswer:
    now = now or timezone.now()
    if score not in NPS.scores:
        raise ValueError(f"score must be {NPS.low}..{NPS.high}")
    answers = [*answers, "", "", ""][:3]
    today = timezone.localdate(now)
    with transaction.atomic():
        invitation = (
            CampaignInvitation.objects.select_for_update()
            .select_related("campaign")
            .get(pk=invitation.pk)
        )
        if not invitation.is_answerable(now):
            raise NotAnswerable
        anonymous = invitation.campaign.anonymous
        invitation.answered = True
        invitation.answered_on = None if anonymous else today
        invitation.save(update_fields=["answered", "answered_on"])
        return CampaignAnswer.objects.create(
            campaign=invitation.campaign,
            invitation=None if anonymous else invitation,
            score=score,
            answer_1=answers[0],
            answer_2=answers[1],
            answer_3=answers[2],
            answered_on=today,
        )


@dataclass(frozen=True)
class CampaignResults:
    invited: int
    sent: int
    answered: int
    shown: bool  # enough people answered; otherwise the figures below are empty
    score: Score | None = None
    histogram: list[int] = field(default_factory=list)
    open_answers: list[tuple[str, list[str]]] = field(default_factory=list)  # (question, answers)

    @property
    def response_rate(self) -> float | None:
        return None if not self.sent else self.answered / self.sent


def campaign_results(campaign: Campaign) -> CampaignResults:
    invitations = campaign.invitations
    counts: dict[str, Any] = {
        "invited": invitations.count(),
        "sent": invitations.filter(status=CampaignInvitation.Status.SENT).count(),
    }
    answers = list(campaign.answers.all())
    # Answers count people: a requester is invited at most once per campaign (the
    # campaign_invitation_once constraint) and an invitation answers at most once (its
    # `answered` flag, set under a row lock), which holds for anonymous answers too, although
    # they keep no link to their invitation.
    if not group_shown(len(answers)):
        return CampaignResults(**counts, answered=len(answers), shown=False)
    given = histogram(answer.score for answer in answers)
    open_answers = [
        (question, [a.open_answers[i] for a in answers if a.open_answers[i].strip()])
        for i, question in enumerate(campaign.open_questions)
    ]
    return CampaignResults(
        **counts,
        answered=len(answers),
        shown=True,
        score=Score.from_histogram(given),
        histogram=given,
        open_answers=open_answers,
    )
