"""Unlinked answers: the stored form of an answer that must not lead back to a person.

An answer given while its team is anonymous is stored unlinked from the start; retention and
erasure requests unlink named answers later. An unlinked Response has no invitation (so no
ticket and no requester behind it) and only its day: created_at and updated_at sit at the
organisation's midnight, since an exact time would pair it with the helpdesk's ticket log.
Its invitation keeps only that it was answered (status "answered", no answered_at).

Nor does its row number tell the time: every row it writes takes a random primary key (row_id),
not the next number of a sequence.

The one way back is the link in the requester's e-mail: the answer keeps a keyed hash of the
link token (`link_key`), made with a different function and key than the invitation's sha256
token hash. Holding the database (and even the key) does not pair the two; holding the link
does, so the requester can still change an anonymous answer while the link is valid.
"""

import secrets
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

_SALT = "itpulse.surveys.unlinked-answer"
# Above any number a sequence will reach, below the largest bigint.
_ROW_IDS = 2**62


def row_id() -> int:
    """A primary key for a row that an unlinked answer writes when it is given or changed (the
    answer, its reasons and tags, a first count of its day). A sequence's next value would
    place the row between those written just before and after it, and so between the exact
    times of named answers; a random number places it nowhere."""
    return _ROW_IDS + secrets.randbelow(_ROW_IDS)


def link_key(token: str, secret: str | None = None) -> str:
    return salted_hmac(_SALT, token, secret=secret, algorithm="sha256").hexdigest()


def link_keys(token: str) -> list[str]:
    """The token's key under the current SECRET_KEY and every SECRET_KEY_FALLBACKS, so that a
    rotated secret does not lock people out of changing their answer."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [link_key(token, secret) for secret in secrets]


def answer_day(instant: datetime) -> datetime:
    """The organisation's midnight of the day of `instant`: the only time an unlinked answer
    keeps (the rollups' day, surveys' and dashboards' periods all stay the same)."""
    zone = timezone.get_default_timezone()
    day = timezone.localtime(instant, zone).date()
    return datetime.combine(day, time.min, tzinfo=zone)
