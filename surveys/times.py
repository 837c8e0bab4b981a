"""The one reader of a ticket's close time, whichever door it came in by (REST API, a connector's
payload, a CSV export): helpdesks write times in every way ISO 8601 allows and a few it does not.

Accepted: ISO 8601 with a zone (`Z`, `+01:00`, `+0100`, `+01`) or without one (then it is in the
organisation's zone, TIME_ZONE), with a space or `T` between date and time, a date alone
(midnight), the basic forms (`20261125T100000Z`, `20261125`), Unix time in seconds or
milliseconds (a JSON number or digits in a string, with a fraction or without), and the Dutch
day-month-year of Excel exports (`25-11-2026 10:00`). Anything else is None: the caller says why.
"""

import re
import zoneinfo
from datetime import UTC, datetime

from django.conf import settings

# Unix time above this is in milliseconds (Jira, JavaScript): 1e11 seconds is the year 5138,
# 1e11 milliseconds is 1973, before any ticket ITPULSE accepts (tickets.EARLIEST is 2000).
MILLISECONDS_FROM = 1e11
EPOCH = re.compile(r"^[0-9]+(\.[0-9]+)?$")
BASIC_DATE = re.compile(r"^[0-9]{8}$")  # 20261125: a date, never Unix time (that would be 1970)
DUTCH = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def organisation_zone() -> zoneinfo.ZoneInfo:
    """TIME_ZONE, the zone of a time given without one: not the signed-in user's (a CSV import
    by someone abroad means what the helpdesk meant)."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _from_epoch(number: float) -> datetime | None:
    if number > MILLISECONDS_FROM:
        number /= 1000
    try:
        return datetime.fromtimestamp(number, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _dutch(text: str) -> datetime | None:
    match = DUTCH.match(text)
    if not match:
        return None
    day, month, year, hour, minute, second = (int(part or 0) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=organisation_zone())
    except ValueError:
        return None


def parse_time(raw: object) -> datetime | None:
    """An aware datetime for a close time as a helpdesk wrote it, or None when it is none."""
    if isinstance(raw, bool):  # a JSON true is not 1 second after 1970
        return None
    if isinstance(raw, int | float):
        return _from_epoch(float(raw))
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    # isascii: str.isdigit() and the regex's \d also accept "²" and other digits.
    if not text.isascii():
        return None
    if BASIC_DATE.match(text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    elif EPOCH.match(text):
        return _from_epoch(float(text))
    moment = _dutch(text)
    if moment is None:
        try:
            # Python 3.11+ reads every ISO 8601 form above, "+0100" and a space for "T"
            # included; a lower-case "t" or "z" as some exports write them too.
            moment = datetime.fromisoformat(text.upper())
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=organisation_zone())
    return moment
