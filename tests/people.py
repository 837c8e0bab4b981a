"""A person with something of every kind ITPulse holds, and the figures that must survive them.

Used by the privacy tests (export, erasure, retention): `person_with_everything` makes the rows
an access request must list and an erasure or retention must remove or unlink.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat

from campaigns.models import Campaign, CampaignAnswer, CampaignInvitation
from campaigns.services import campaign_results
from followups.models import CaseNote, FollowUpCase
from followups.selectors import team_summary
from integrations.models import Connector, Delivery
from ratings.models import CustomerRating
from scoring import rollups
from scoring.selectors import Period, agent_scores, team_tally, trend
from surveys.models import CapturedEmail, Invitation, LinkClick, Reason, Response, hash_token

from .factories import InvitationFactory, RequesterFactory, ResponseFactory


@dataclass
class Person:
    email: str
    requester: object
    answers: list
    campaign: Campaign


def person_with_everything(email: str, team, *, when: datetime, staff=None) -> Person:
    """Two answered surveys with comments (one a detractor with a follow-up case and a note),
    one unanswered, one planned; IT's rating, a link click, a periodic survey answer, a sent
    mail copy, a connector delivery and an admin history entry: all at `when`."""
    first = email.partition("@")[0].title()
    requester = RequesterFactory(email=email, name=f"{first} Example", department="Finance")
    reason = Reason.objects.get_or_create(slug="speed", defaults={"name_en": "Speed"})[0]
    answers = []
    for score, comment in ((2, f"Far too slow, {first}"), (9, f"Quick fix, thanks {first}")):
        response = ResponseFactory(
            invitation__ticket__team=team,
            invitation__ticket__requester=requester,
            invitation__ticket__closed_at=when - timedelta(hours=2),
            invitation__sent_at=when - timedelta(hours=1),
            invitation__answered_at=when,
            invitation__token_hash=hash_token(f"{email}-{score}"),
            score=score,
            comment=comment,
            created_at=when,
        )
        response.reasons.add(reason)
        answers.append(response)
    detractor = answers[0]
    case = FollowUpCase.objects.create(
        response=detractor,
        team=team,
        opening_score=2,
        latest_score=2,
        opened_at=when,
        due_at=when + timedelta(days=2),
        followed_up_at=when + timedelta(days=1),
        status=FollowUpCase.Status.CONTACTED,
    )
    CaseNote.objects.create(case=case, text=f"Called {email}: printer fixed", created_at=when)
    ticket = detractor.invitation.ticket
    CustomerRating.objects.create(
        ticket=ticket, team=team, score=4, department="Finance", created_at=when
    )
    LinkClick.objects.create(invitation=detractor.invitation, clicked_at=when, client="browser")
    InvitationFactory(
        ticket__team=team,
        ticket__requester=requester,
        ticket__closed_at=when,
        status=Invitation.Status.SENT,
        sent_at=when,
        token_hash=hash_token(f"{email}-open"),
    )
    InvitationFactory(ticket__team=team, ticket__requester=requester, ticket__closed_at=when)
    campaign = Campaign.objects.create(
        name=f"Yearly {when:%Y}", status=Campaign.Status.RUNNING, launched_at=when
    )
    invitation = CampaignInvitation.objects.create(
        campaign=campaign,
        requester=requester,
        status=CampaignInvitation.Status.SENT,
        sent_at=when,
        token_hash=hash_token(f"{email}-campaign"),
        answered=True,
        answered_on=when.date(),
    )
    CampaignAnswer.objects.create(
        campaign=campaign,
        invitation=invitation,
        score=6,
        answer_1=f"More self-service, please ({first})",
        answered_on=when.date(),
    )
    mail = CapturedEmail.objects.create(to=email, subject="How did we do?", text=f"Dear {first}")
    CapturedEmail.objects.filter(pk=mail.pk).update(created_at=when)
    connector = Connector.objects.get_or_create(
        slug="jira", defaults={"name": "Jira", "kind": "jira"}
    )[0]
    Delivery.objects.create(
        connector=connector,
        external_id=ticket.external_id,
        event="closed",
        outcome="accepted",
        status_code=201,
        ticket=ticket,
        received_at=when,
    )
    if staff is not None:
        entry = LogEntry.objects.create(
            user=staff,
            content_type=ContentType.objects.get_for_model(requester),
            object_id=str(requester.pk),
            object_repr=str(requester),
            action_flag=CHANGE,
            change_message="Changed name.",
        )
        LogEntry.objects.filter(pk=entry.pk).update(action_time=when)
    return Person(email, requester, answers, campaign)


def figures(team, campaign: Campaign, now: datetime) -> dict:
    """What the dashboards show for the team and the periodic survey, and a recount of the
    rows behind the rollups: none of it may change when people are erased or expire."""
    today = now.date()
    year = Period.last(365 * 3, today)
    results = campaign_results(campaign)
    return {
        "tally": team_tally(team),
        "trend": trend(team, year.since, today, "month"),
        "agents": [(row.agent.pk, row.score) for row in agent_scores(team, year)],
        "follow-ups": team_summary(team, now, days=365 * 3),
        "campaign": (results.histogram, results.invited, results.sent, results.answered),
        "recount": rollups.recount(),
        "answers": sorted(Response.objects.values_list("team_id", "agent_id", "score")),
    }


def text_holding(value: str, *, allowed: tuple[type[models.Model], ...] = ()) -> list[str]:
    """Every model with a row whose text or JSON columns contain `value` (case-insensitive)."""
    found = []
    for model in apps.get_models():
        texts = [
            Cast(field.attname, models.TextField())
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField | models.JSONField)
        ]
        if model in allowed or not texts:
            continue
        rows = model.objects.annotate(
            alltext=Concat(*texts, Value(""), output_field=models.TextField())
        )
        if rows.filter(alltext__icontains=value).exists():
            found.append(model._meta.label)
    return found
