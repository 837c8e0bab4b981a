"""Outgoing e-mail: each message is a subject / text / HTML template triplet (templates/emails)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from . import branding
from .messageids import invitation_message_id
from .questions import scale_ends
from .scales import scale_for


def render_plain(template_name: str, context: dict) -> str:
    """A plain-text template (a subject, a text part) without HTML escaping: a team called
    "Service & Support" stays that, not "Service &amp; Support", and a comment's "<b>" is shown
    as written. Nothing reads these as HTML, so there is nothing to escape against."""
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def render_email(name: str, context: dict) -> tuple[str, str, str]:
    subject = render_plain(f"emails/{name}-subject.txt", context)
    text = render_plain(f"emails/{name}-body.txt", context)
    html = render_to_string(f"emails/{name}-body.html", context)
    return " ".join(subject.split()), text, html


def build_email(name: str, to: str, context: dict, headers: dict | None = None):
    subject, text, html = render_email(name, context)
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def survey_link(token: str, score: int | None = None) -> str:
    url = settings.ITPULSE_BASE_URL + reverse("survey", args=[token])
    return url if score is None else f"{url}?score={score}"


def unsubscribe_link(token: str) -> str:
    return settings.ITPULSE_BASE_URL + reverse("survey-unsubscribe", args=[token])


def build_survey_email(invitation, token: str, *, reminder: bool = False) -> EmailMultiAlternatives:
    """The survey e-mail (or its one reminder) for one invitation, in the requester's language."""
    requester = invitation.requester
    team = invitation.team
    with translation.override(requester.language):
        # Always the team's type now: a link's page asks on the same scale (surveys/views/survey).
        scale = scale_for(team.question_type)
        low, high = scale_ends(team.question_type)
        half, middle = divmod(len(scale.scores), 2)
        context = {
            **branding.brand(absolute=True),
            "invitation": invitation,
            "ticket": invitation.ticket,
            "team": team,
            "agent": invitation.agent if team.show_agent else None,
            "requester": requester,
            "language": requester.language,
            "question": team.question(),
            "scale_low": low,
            "scale_high": high,
            "survey_url": survey_link(token),
            "unsubscribe_url": unsubscribe_link(token),
            "score_links": [(score, survey_link(token, score)) for score in scale.scores],
            "scale_top": scale.high,
            # The HTML's button cells and the two scale ends under them, for 5, 7 or 11 buttons.
            "cell_width": 100 // len(scale.scores),
            "ends_span": half,
            "middle_span": middle,
            "expires_at": invitation.expires_at,
            "reminder": reminder,
        }
        # RFC 2369 / RFC 8058: mail clients offer their own "unsubscribe" button, one click.
        headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # A relay's bounce quotes it: delivery/bounces.py finds the invitation by it.
            "Message-ID": invitation_message_id(invitation.id, reminder=reminder),
        }
        message = build_email("survey", requester.email, context, headers=headers)
        if reminder:
            message.subject = _("Reminder: %(subject)s") % {"subject": message.subject}
        return message
