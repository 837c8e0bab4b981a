"""The detractor alert: an e-mail to each team lead in their language, and a chat webhook post."""

import json
import logging
import urllib.request

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from surveys.anonymity import shown_requester, shown_ticket
from surveys.emails import build_email
from surveys.logsafe import scrubbed_mail_errors

logger = logging.getLogger(__name__)


def case_url(case) -> str:
    return settings.ITPULSE_BASE_URL + reverse("followup-detail", args=[case.id])


def user_language(user) -> str:
    preference = getattr(user, "preference", None)
    return preference.language if preference else settings.LANGUAGE_CODE


def send_case_alert(case) -> int:
    """One message per lead with an e-mail address; returns how many were sent."""
    response = case.response
    # Unlinked by retention or erasure: as little to show as for an anonymous team.
    ticket = shown_ticket(response)
    hidden = ticket is None
    leads = case.team.leads.filter(is_active=True).exclude(email="").select_related("preference")
    sent = 0
    for lead in leads:
        preference = getattr(lead, "preference", None)
        zone = preference.zone if preference else timezone.get_default_timezone()
        with translation.override(user_language(lead)), timezone.override(zone):
            context = {
                "lead": lead,
                "case": case,
                "team": case.team,
                "response": response,
                # An anonymous team (issue 6) sees the answer, never who gave it.
                "anonymous": hidden,
                "ticket": ticket,
                "requester": None if hidden else shown_requester(response),
                "agent": response.agent,
                "case_url": case_url(case),
                "organisation": settings.ITPULSE_ORGANISATION,
            }
            # The task's retry is logged by Celery: not with the lead's address in it.
            with scrubbed_mail_errors():
                build_email("followup-alert", lead.email, context).send()
        sent += 1
    return sent


def webhook_text(case) -> str:
    """Score, comment, ticket and the case link. No requester contact details: a chat channel
    usually reaches more people than the leads, so those stay behind the login on the case page.
    """
    ticket = shown_ticket(case.response)
    with translation.override(settings.LANGUAGE_CODE):
        if ticket is None:
            lines = [
                translation.gettext("Score %(score)s from a requester of %(team)s")
                % {"score": case.latest_score, "team": case.team.name}
            ]
        else:
            lines = [
                translation.gettext("Score %(score)s from a requester of %(team)s on %(ticket)s")
                % {"score": case.latest_score, "team": case.team.name, "ticket": ticket},
            ]
            if ticket.subject:
                lines.append(ticket.subject)
        if case.response.comment:
            lines.append(f"> {case.response.comment[:500]}")
        lines.append(translation.gettext("Follow up: %(url)s") % {"url": case_url(case)})
    return "\n".join(lines)


def post_case_webhook(case, url: str) -> None:
    """POST {"text": …}: the body both Slack and Microsoft Teams incoming webhooks accept."""
    body = json.dumps({"text": webhook_text(case)}).encode()
    request = urllib.request.Request(  # noqa: S310 (the URL comes from the operator's settings)
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(  # noqa: S310
        request, timeout=settings.ITPULSE_WEBHOOK_TIMEOUT
    ) as reply:
        if reply.status >= 300:
            raise OSError(f"webhook answered {reply.status}")
