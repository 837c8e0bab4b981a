"""Telling mail scanners from people, from the way a survey e-mail's links are opened.

Link scanners (Outlook Safe Links, Proofpoint, Mimecast…) open every link of a message, usually
within seconds of its delivery. A person opens one link, later. Opening a link never stores a
score (only the form's POST does); these clicks only feed the staff page's scanner figures.
The write itself is `services.link_click_record`.
"""

import re
from datetime import datetime, timedelta

from django.db.models import Count, Q

from .models import Invitation, LinkClick

# Opened within this many seconds of sending: too soon for a person to have read the e-mail.
SOON_AFTER_SENDING = timedelta(seconds=10)
# This many different score links opened within BURST_WINDOW: a person clicks one score.
BURST_LINKS = 3
BURST_WINDOW = timedelta(seconds=10)

_BOT = re.compile(
    r"bot|crawl|spider|scan|preview|python|curl|wget|java/|go-http|libwww|headless|"
    r"safelinks|proofpoint|mimecast|barracuda|urldefense",
    re.IGNORECASE,
)
_MOBILE = re.compile(r"mobile|android|iphone|ipad", re.IGNORECASE)
_BROWSER = re.compile(r"mozilla/|opera/", re.IGNORECASE)


def client_class(user_agent: str) -> str:
    """A coarse class of the client; the user agent itself is not kept."""
    if not user_agent or _BOT.search(user_agent):
        return LinkClick.Client.BOT if user_agent else LinkClick.Client.OTHER
    if _MOBILE.search(user_agent):
        return LinkClick.Client.MOBILE
    if _BROWSER.search(user_agent):
        return LinkClick.Client.BROWSER
    return LinkClick.Client.OTHER


def looks_scanned(invitation: Invitation, click: LinkClick, now: datetime) -> bool:
    if click.client == LinkClick.Client.BOT:
        return True
    if click.seconds_since_sent is not None and click.seconds_since_sent < (
        SOON_AFTER_SENDING.total_seconds()
    ):
        return True
    recent_links = (
        invitation.clicks.filter(clicked_at__gte=now - BURST_WINDOW, score__isnull=False)
        .values("score")
        .distinct()
        .count()
    )
    return recent_links >= BURST_LINKS


_FIGURES = {
    "opened": Count("id", filter=Q(clicks__isnull=False), distinct=True),
    "scanned": Count("id", filter=Q(scanned_at__isnull=False), distinct=True),
    "scanned_answered": Count(
        "id", filter=Q(scanned_at__isnull=False, response__isnull=False), distinct=True
    ),
}


def scanner_figures(invitations=None) -> dict:
    """How many invitations scanners opened, and how many of those a person answered after all."""
    invitations = Invitation.objects.all() if invitations is None else invitations
    return invitations.aggregate(**_FIGURES)


def scanner_figures_by_team(invitations) -> list[dict]:
    """The same figures per team, plus how many invitations were sent, alphabetically."""
    return list(
        invitations.values("team__name")
        .annotate(sent=Count("id", distinct=True), **_FIGURES)
        .order_by("team__name")
    )


def clicks_by_client(clicks) -> dict[str, int]:
    counts = dict(clicks.values_list("client").annotate(n=Count("id")).order_by())
    return {str(label): counts.get(value, 0) for value, label in LinkClick.Client.choices}
