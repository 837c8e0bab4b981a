"""One closed ticket as ITPulse receives it from any door (batch API, webhook, CSV), validated.

Validation is plain functions rather than a Django form per item: a batch of 1,000 tickets
is validated in a few milliseconds, and each error is named by the field the caller sent.
"""

import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from surveys import slices
from surveys.models import Team
from surveys.times import parse_time

MAX_LENGTHS = {
    "source": 50,
    "external_id": 100,
    "subject": 255,
    "requester_email": 254,
    "requester_name": 150,
    "requester_time_zone": 64,
    "requester_department": 100,
    "agent_email": 254,
    "agent_name": 150,
    "category": 100,  # as sent; stored normalised, at most slices.CATEGORY_LENGTH
    "priority": 50,
    "channel": 50,
}
REQUIRED = ("source", "external_id", "requester_email", "closed_at", "team")
LANGUAGE_NAMES = {"english": "en", "engels": "en", "dutch": "nl", "nederlands": "nl"}
FUTURE_SLACK = timedelta(minutes=5)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class TicketIn:
    source: str
    external_id: str
    team: Team
    requester_email: str
    closed_at: datetime
    subject: str = ""
    requester_name: str = ""
    requester_language: str = ""
    requester_time_zone: str = ""
    requester_department: str = ""
    agent_email: str = ""
    agent_name: str = ""
    # The slice (surveys/slices.py): "" where the helpdesk said nothing (unknown).
    category: str = ""
    priority: str = ""
    channel: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.external_id)


def requester_domain_allowed(email: str) -> bool:
    """Whether the organisation surveys this address: its domain, or a subdomain of it, is in
    ITPULSE_REQUESTER_DOMAINS (empty: any). Keeps a leaked token from mailing the world."""
    domains = settings.ITPULSE_REQUESTER_DOMAINS
    if not domains or not email:
        return True
    domain = email.rpartition("@")[2].lower()
    return any(domain == allowed or domain.endswith("." + allowed) for allowed in domains)


@cache
def zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())  # reads the disk: once per process


def default_language() -> str:
    """LANGUAGE_CODE as a requester's language ("en-us" → "en")."""
    return re.split(r"[-_]", settings.LANGUAGE_CODE.lower(), maxsplit=1)[0]


def language(raw: str) -> str:
    """'nl', 'nl-BE', 'nl_NL', 'Nederlands' → 'nl'; 'en-GB' → 'en'; "" → "" (nothing said).

    Any other language ('de', 'fr-CA', 'xx') falls back to LANGUAGE_CODE: the requester is still
    surveyed, in the organisation's language, rather than the whole ticket refused.
    """
    raw = raw.strip().lower()
    if not raw:
        return ""
    if raw in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[raw]
    code = re.split(r"[-_]", raw, maxsplit=1)[0]
    return code if code in dict(settings.LANGUAGES) else default_language()


def validate(
    fields: dict, teams: dict[str, Team], now: datetime, *, team_error=None
) -> tuple[TicketIn | None, dict[str, list[str]]]:
    """Check flat ticket fields (text values; team as a slug). Returns the ticket or errors.

    `teams` maps slug → Team for every team the caller may name; `team_error` words the
    message for an unknown team (the webhook lists the connector's mapping instead).
    """
    problems: dict[str, list[str]] = {}
    clean = {key: (fields.get(key) or "").strip() for key in (*MAX_LENGTHS, "team")}
    for key in REQUIRED:
        value = clean[key] if key in clean else fields.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            problems[key] = [_("This field is required.")]
    for key, value in clean.items():
        if "\x00" in value:  # PostgreSQL cannot store it; refuse it here rather than fail later
            problems[key] = [_("Null characters are not allowed.")]
    for key, limit in MAX_LENGTHS.items():
        if len(clean[key]) > limit:
            problems[key] = [_("At most %(limit)s characters.") % {"limit": limit}]
    for key in ("requester_email", "agent_email"):
        if clean[key] and key not in problems:
            try:
                validate_email(clean[key])
            except ValidationError:
                problems[key] = [_("Enter a valid e-mail address.")]
            clean[key] = clean[key].lower()
    if "requester_email" not in problems and not requester_domain_allowed(clean["requester_email"]):
        problems["requester_email"] = [
            _("Only addresses in %(domains)s may be surveyed (ITPULSE_REQUESTER_DOMAINS).")
            % {"domains": ", ".join(settings.ITPULSE_REQUESTER_DOMAINS)}
        ]
    clean["requester_language"] = language(fields.get("requester_language") or "")
    zone = clean["requester_time_zone"]
    if zone and "requester_time_zone" not in problems and zone not in zones():
        problems["requester_time_zone"] = [
            _("Unknown time zone %(zone)s; use a name such as Europe/Amsterdam.") % {"zone": zone}
        ]
    _slice_check(clean, problems)
    closed_at = None
    if fields.get("closed_at") not in (None, ""):
        closed_at = parse_time(fields["closed_at"])
        if closed_at is None:
            problems["closed_at"] = [
                _(
                    "Use an ISO 8601 time (e.g. 2026-11-25T10:00:00Z; without a zone it is in "
                    "%(zone)s) or Unix time in seconds or milliseconds."
                )
                % {"zone": settings.TIME_ZONE}
            ]
        elif closed_at > now + FUTURE_SLACK:
            problems["closed_at"] = [_("A ticket cannot be closed in the future.")]
        elif closed_at < EARLIEST:  # also keeps year-1 times, which PostgreSQL refuses, out
            problems["closed_at"] = [_("A ticket closed before 2000 is too old for a survey.")]
    team = teams.get(clean["team"])
    if clean["team"] and team is None:
        known = ", ".join(sorted(teams)) or "—"
        problems["team"] = [
            team_error
            or _("Unknown team %(slug)s. Known teams: %(known)s.")
            % {"slug": clean["team"], "known": known}
        ]
    # Without problems both are set (REQUIRED); said again for the type checker.
    if problems or team is None or closed_at is None:
        return None, problems
    return TicketIn(
        source=clean["source"],
        external_id=clean["external_id"],
        team=team,
        requester_email=clean["requester_email"],
        closed_at=closed_at,
        subject=clean["subject"],
        requester_name=clean["requester_name"],
        requester_language=clean["requester_language"],
        requester_time_zone=zone,
        requester_department=clean["requester_department"],
        agent_email=clean["agent_email"],
        agent_name=clean["agent_name"],
        category=clean["category"],
        priority=clean["priority"],
        channel=clean["channel"],
    ), {}


def _slice_check(clean: dict[str, str], problems: dict[str, list[str]]) -> None:
    """Category in one spelling; priority and channel as one of ours (a helpdesk's word for
    one is read too), in `clean`; anything else is a problem named by its field."""
    if "category" not in problems:
        clean["category"] = slices.category(clean["category"])
        if len(clean["category"]) > slices.CATEGORY_LENGTH:
            problems["category"] = [
                _("At most %(limit)s characters.") % {"limit": slices.CATEGORY_LENGTH}
            ]
    for key, read, choices in (
        ("priority", slices.priority, slices.Priority),
        ("channel", slices.channel, slices.Channel),
    ):
        if key in problems:
            continue
        value = read(clean[key])
        if value is None:
            problems[key] = [
                _("Unknown value %(value)s; use one of %(known)s.")
                % {"value": repr(clean[key]), "known": ", ".join(choices.values)}
            ]
        else:
            clean[key] = value
