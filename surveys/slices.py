"""A ticket's slice: its category, priority and channel, and its requester's department.

Each door a ticket comes in by (API, batch, webhook, CSV) hands in what the helpdesk calls
these; here they become our few values, so that one dashboard filter finds the tickets of every
tool. Category is free text, kept short and in one spelling; priority and channel are small
sets, and the words helpdesks use for them (English and Dutch) map onto those sets.
"""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

CATEGORY_LENGTH = 50


class Priority(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    PORTAL = "portal", _("portal")
    CHAT = "chat", _("chat")
    WALK_IN = "walk_in", _("walk-in")
    OTHER = "other", _("other")


# Helpdesks' words (Jira, Zendesk, Freshservice, ServiceNow, TOPdesk, GLPI; English and Dutch),
# compared after lower-casing and dropping everything but letters and digits.
PRIORITY_WORDS = {
    **dict.fromkeys(("low", "lowest", "verylow", "minor", "planning", "laag", "zeerlaag"), "low"),
    **dict.fromkeys(
        ("normal", "medium", "moderate", "normaal", "gemiddeld", "middel", "standard"), "normal"
    ),
    **dict.fromkeys(("high", "major", "hoog", "important"), "high"),
    **dict.fromkeys(
        (
            "urgent",
            "highest",
            "veryhigh",
            "critical",
            "blocker",
            "emergency",
            "zeerhoog",
            "kritiek",
            "spoed",
            "dringend",
        ),
        "urgent",
    ),
}
CHANNEL_WORDS = {
    **dict.fromkeys(("email", "mail", "inboundemail", "emailin"), "email"),
    **dict.fromkeys(
        ("phone", "phonecall", "telephone", "call", "telefoon", "telefonisch", "voice"), "phone"
    ),
    **dict.fromkeys(
        (
            "portal",
            "web",
            "webform",
            "selfservice",
            "selfserviceportal",
            "helpdesk",
            "customerportal",
            "zelfbediening",
            "zelfbedieningsportaal",
            "webformulier",
        ),
        "portal",
    ),
    **dict.fromkeys(("chat", "livechat", "teams", "slack", "messaging", "whatsapp"), "chat"),
    **dict.fromkeys(
        ("walkin", "walkup", "direct", "desk", "balie", "inperson", "persoonlijk"), "walk_in"
    ),
    **dict.fromkeys(("other", "overig", "anders", "written"), "other"),
}


def _word(raw: str) -> str:
    # ServiceNow shows "1 - Critical": the word after the number is what it means.
    text = raw.strip().lower()
    if " - " in text:
        text = text.split(" - ", 1)[1]
    return re.sub(r"[^a-z0-9]", "", text)


def category(raw: str) -> str:
    """One spelling: spaces collapsed, lower case ('  VPN   Access ' → 'vpn access')."""
    return " ".join(raw.split()).lower()


def priority(raw: str) -> str | None:
    """Our priority for a helpdesk's word; "" for nothing said, None for a word we don't know."""
    if not raw.strip():
        return ""
    return PRIORITY_WORDS.get(_word(raw))


def channel(raw: str) -> str | None:
    """Our channel for a helpdesk's word; "" for nothing said, None for a word we don't know."""
    if not raw.strip():
        return ""
    return CHANNEL_WORDS.get(_word(raw))


def known_or_empty(field: str, raw: str, numbers: dict[str, str] | None = None) -> str:
    """For the doors that must not refuse a ticket over a label (webhooks, CSV): a priority or
    channel we cannot read is stored as unknown. `numbers` maps a tool's numeric codes."""
    if numbers and raw.strip() in numbers:
        return numbers[raw.strip()]
    value = priority(raw) if field == "priority" else channel(raw)
    return value or ""
