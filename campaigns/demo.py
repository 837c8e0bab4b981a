"""The demo's periodic surveys (accounts.signals.demo_loaded): one finished (every link has
expired) and one running, each launched through campaign_launch, sent by the delivery engine
and answered through campaign_answer_submit, at the times they would have happened."""

import random
from datetime import datetime, timedelta

from django.db import transaction

from delivery import engine

from . import sending
from .models import Campaign, CampaignInvitation
from .services import (
    campaign_answer_submit,
    campaign_launch,
    campaign_save,
    campaigns_finish_ended,
)

# (name, days before the demo's present it was launched). Links are valid LINK_DAYS: the first
# survey's have all expired (finished), the second's still work (running).
SURVEYS = [("IT survey, autumn", 45), ("IT survey, December", 5)]
LINK_DAYS = 21
SAMPLE = 60
SHARE_ANSWERED = 0.45
SCORES = [10, 10, 9, 9, 9, 8, 8, 7, 7, 6, 5, 3]
ANSWERS_EN = [
    ("Faster answers on the phone.", "Friendly people who know their stuff."),
    ("Tell us when a fix will be ready.", "The Service Desk is easy to reach."),
    ("", "Quick help with passwords."),
]
ANSWERS_NL = [
    ("Sneller de telefoon opnemen.", "Vriendelijke mensen die weten waar ze het over hebben."),
    ("Laat weten wanneer iets opgelost is.", "De Servicedesk is goed bereikbaar."),
    ("", "Snelle hulp bij wachtwoorden."),
]


def _send(launched: datetime) -> None:
    """The delivery engine sends the launch's invitations, as the worker would have then."""
    while engine.dispatch_due(sending.KIND, now=launched, limit=500).claimed:
        pass


def _answer(campaign: Campaign, rng: random.Random, now: datetime) -> None:
    invitations = campaign.invitations.filter(status=CampaignInvitation.Status.SENT)
    for invitation in invitations.select_related("requester").order_by("id"):
        if rng.random() >= SHARE_ANSWERED or invitation.sent_at is None:
            continue
        answered = invitation.sent_at + timedelta(hours=rng.randint(1, 10 * 24))
        if answered > now:
            continue  # not answered yet
        requester = invitation.requester
        texts = ANSWERS_NL if requester is not None and requester.language == "nl" else ANSWERS_EN
        campaign_answer_submit(
            invitation=invitation,
            score=rng.choice(SCORES),
            answers=list(rng.choice(texts)),
            now=answered,
        )


def load_campaigns(*, now: datetime, seed: int = 2026) -> int:
    """The demo's periodic surveys, once. Returns how many were made."""
    names = [name for name, _days in SURVEYS]
    if Campaign.objects.filter(name__in=names).exists():
        return 0
    rng = random.Random(seed)
    with transaction.atomic():
        for name, days in SURVEYS:
            campaign = campaign_save(
                campaign=Campaign(
                    name=name,
                    open_questions_en="What should IT do better?\nWhat do you value most?",
                    open_questions_nl="Wat moet IT beter doen?\nWat waardeert u het meest?",
                    sample_size=SAMPLE,
                    link_valid_days=LINK_DAYS,
                    seed=seed,
                )
            )
            launched = now - timedelta(days=days)
            campaign_launch(campaign=campaign, now=launched)
            _send(launched)
            _answer(campaign, rng, now)
        # What the beat would have done meanwhile: the first survey's period has ended.
        campaigns_finish_ended(now=now)
    return len(SURVEYS)
