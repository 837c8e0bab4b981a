"""The detractor alert: an e-mail to each team lead in their language, and a chat webhook post.

Both are kinds of the delivery engine (delivery/engine.py): `case_alerts_plan` writes one
`CaseAlert` row per lead and `case_webhook_plan` one `CaseWebhookPost`, once per case, and the
engine claims, sends, retries and reclaims them like every other outgoing message (the chat post
through the kind's own `post` instead of SMTP). Each message is written when it is sent, so a
team turned anonymous meanwhile is alerted anonymously.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from delivery import engine, outbound
from delivery.engine import Outcome, Prepared
from surveys.anonymity import shown_requester, shown_ticket
from surveys.emails import build_email

from . import chat
from .chat import ChatAlert
from .models import CaseAlert, CaseWebhookPost, FollowUpCase

# The person is no longer a lead of the case's team, or has no address any more.
NOT_A_LEAD = "no longer a team lead"


def case_url(case: FollowUpCase) -> str:
    return settings.ITPULSE_BASE_URL + reverse("followup-detail", args=[case.id])


def case_alert_email(case: FollowUpCase, lead) -> EmailMessage:
    """The alert as this lead reads it: their language and time zone."""
    response = case.response
    # Anonymous team, or unlinked by retention or erasure: nobody to name (surveys/anonymity.py).
    ticket = shown_ticket(response)
    preference = getattr(lead, "preference", None)
    language = preference.language if preference else settings.LANGUAGE_CODE
    zone = preference.zone if preference else timezone.get_default_timezone()
    with translation.override(language), timezone.override(zone):
        context = {
            "lead": lead,
            "case": case,
            "team": case.team,
            "response": response,
            # An anonymous team (issue 6) sees the answer, never who gave it.
            "anonymous": ticket is None,
            "ticket": ticket,
            "requester": None if ticket is None else shown_requester(response),
            "agent": response.agent,
            "case_url": case_url(case),
            "organisation": settings.ITPULSE_ORGANISATION,
        }
        return build_email("followup-alert", lead.email, context)


def _still_a_lead(alert: CaseAlert) -> bool:
    lead = alert.lead
    return bool(lead.is_active and lead.email) and alert.case.team.leads.filter(pk=lead.pk).exists()


def _builder(alert: CaseAlert) -> Callable[[], EmailMessage]:
    return lambda: case_alert_email(alert.case, alert.lead)


def _prepare(alerts: list[CaseAlert], now: datetime) -> list[Prepared]:
    return [
        Prepared(alert, build=_builder(alert))
        if _still_a_lead(alert)
        else Prepared(alert, suppress=NOT_A_LEAD)
        for alert in alerts
    ]


KIND = engine.register(
    engine.Kind(
        name="case alerts",
        model=CaseAlert,
        related=(
            "lead__preference",
            "case__team",
            "case__response__agent",
            "case__response__invitation__ticket",
            "case__response__invitation__requester",
        ),
        prepare=_prepare,
    )
)


def case_alerts_plan(*, case_id: int, now: datetime) -> int:
    """One alert row per active lead with an address, once per case: the conditional UPDATE of
    `alerted_at` is the claim, in the same transaction as the rows. Returns how many."""
    with transaction.atomic():
        if not FollowUpCase.objects.filter(id=case_id, alerted_at=None).update(alerted_at=now):
            return 0
        case = FollowUpCase.objects.select_related("team").get(id=case_id)
        leads = case.team.leads.filter(is_active=True).exclude(email="")
        alerts = [CaseAlert(case=case, lead=lead, send_after=now) for lead in leads]
        CaseAlert.objects.bulk_create(alerts)
    return len(alerts)


def case_alert_send(*, case_id: int, now: datetime | None = None) -> Outcome:
    """Plan the case's alerts and send what is due now; what fails is the engine's to retry."""
    now = now or timezone.now()
    case_alerts_plan(case_id=case_id, now=now)
    return engine.dispatch_due(KIND, now=now)


def chat_alert(case: FollowUpCase) -> ChatAlert:
    """Score, comment, ticket and the case link, in the organisation's language. No requester
    contact details: a chat channel usually reaches more people than the leads, so those stay
    behind the login on the case page."""
    ticket = shown_ticket(case.response)
    facts = {"score": case.latest_score, "team": case.team.name, "ticket": ticket}
    with translation.override(settings.LANGUAGE_CODE):
        if ticket is None:
            heading = translation.gettext("Score %(score)s from a requester of %(team)s") % facts
        else:
            heading = (
                translation.gettext("Score %(score)s from a requester of %(team)s on %(ticket)s")
                % facts
            )
        follow_up = translation.gettext("Follow up")
    return ChatAlert(
        case_id=case.id,
        case_url=case_url(case),
        team_slug=case.team.slug,
        team_name=case.team.name,
        score=case.latest_score,
        heading=heading,
        ticket_source=ticket.source if ticket else "",
        ticket=ticket.external_id if ticket else "",
        subject=ticket.subject if ticket else "",
        comment=case.response.comment[:500],
        follow_up=follow_up,
    )


@dataclass(frozen=True)
class WebhookPost:
    url: str
    body: bytes


def webhook_post_send(post: WebhookPost) -> None:
    """POST the payload; a refusal (not 2xx) is the engine's to retry, an address that may not
    be called (delivery/outbound.py) fails at once."""
    status = outbound.post_json(post.url, post.body, timeout=settings.ITPULSE_WEBHOOK_TIMEOUT)
    if not 200 <= status < 300:
        raise OSError(f"webhook answered {status}")


# The team's webhook was taken out of ITPULSE_TEAM_WEBHOOKS before the post went out.
NO_WEBHOOK = "the team has no chat webhook"


def webhook_body(case: FollowUpCase, url: str) -> bytes:
    """The post in the team's chat format (ITPULSE_CHAT_FORMAT, followups/chat.py)."""
    chosen = chat.chat_format(settings.ITPULSE_CHAT_FORMAT, case.team.slug, url)
    return json.dumps(chat.payload(chat_alert(case), chosen)).encode()


def _post_builder(case: FollowUpCase, url: str) -> Callable[[], WebhookPost]:
    return lambda: WebhookPost(url, webhook_body(case, url))


def _prepare_posts(posts: list[CaseWebhookPost], now: datetime) -> list[Prepared]:
    prepared = []
    for post in posts:
        url = settings.ITPULSE_TEAM_WEBHOOKS.get(post.case.team.slug)
        if url:
            prepared.append(Prepared(post, build=_post_builder(post.case, url)))
        else:
            prepared.append(Prepared(post, suppress=NO_WEBHOOK))
    return prepared


WEBHOOK_KIND = engine.register(
    engine.Kind(
        name="chat alerts",
        model=CaseWebhookPost,
        related=("case__team", "case__response__invitation__ticket"),
        prepare=_prepare_posts,
        post=webhook_post_send,
    )
)


def case_webhook_plan(*, case_id: int, now: datetime) -> bool:
    """Plan the post when the team has a webhook, once per case: the conditional UPDATE of
    `webhook_posted_at` is the claim, in the same transaction as the row."""
    case = FollowUpCase.objects.select_related("team").get(id=case_id)
    if not settings.ITPULSE_TEAM_WEBHOOKS.get(case.team.slug):
        return False
    with transaction.atomic():
        if not FollowUpCase.objects.filter(id=case_id, webhook_posted_at=None).update(
            webhook_posted_at=now
        ):
            return False
        CaseWebhookPost.objects.create(case=case, send_after=now)
    return True


def case_webhook_post(*, case_id: int, now: datetime | None = None) -> bool:
    """Plan the case's chat post and send what is due now; returns whether this call posted it.
    A refused post is the engine's to retry."""
    now = now or timezone.now()
    case_webhook_plan(case_id=case_id, now=now)
    return engine.dispatch_due(WEBHOOK_KIND, now=now).sent > 0
