"""No guessing: after FAILURES failed password sign-ins for one username from one client address
within WINDOW, that username is refused from that address for WINDOW, even with the right
password.

The counts live in Django's cache: Redis in production, shared by every web worker; the database
cache on the embedded default. An attempt is counted *before* its password is checked
(`attempt_begin`), so parallel guesses cannot all slip in before the first failure is written;
a success forgets the count. Times are stored in the values, not left to the cache's expiry, so
a frozen clock in the tests (and a cache whose expiry lags) still ends a lock on time.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache

FAILURES = 5
WINDOW = timedelta(minutes=15)
# Keys outlive their window a little; the stored times decide, this only tidies up.
_TTL = int(WINDOW.total_seconds()) + 60


@dataclass(frozen=True)
class Attempt:
    key: str
    # This attempt's number within the window (counted before the password is checked).
    number: int
    # When refused: the end of the lock.
    locked_until: datetime | None = None


def _key(username: str, ip: str) -> str:
    # Hashed: no username or address in the cache's keys. Case-folded: "Alice" is "alice".
    digest = hashlib.sha256(f"{username.casefold()}\0{ip}".encode()).hexdigest()
    return f"signin:lockout:{digest}"


def _lock(key: str, *, now: datetime) -> datetime:
    until = now + WINDOW
    cache.set(f"{key}:until", until.timestamp(), _TTL)
    return until


def attempt_begin(*, username: str, ip: str, now: datetime) -> Attempt:
    """Count a password attempt; refused (locked_until set) while the username is locked."""
    key = _key(username, ip)
    until = cache.get(f"{key}:until")
    if until is not None and until > now.timestamp():
        return Attempt(key, 0, datetime.fromtimestamp(until, UTC))
    since = cache.get(f"{key}:since")
    if since is None or now.timestamp() - since >= WINDOW.total_seconds():
        cache.set_many({f"{key}:since": now.timestamp(), f"{key}:count": 0}, _TTL)
    try:
        number = cache.incr(f"{key}:count")
    except ValueError:  # expired between the two calls
        cache.set(f"{key}:count", number := 1, _TTL)
    if number > FAILURES:
        # More attempts in flight at once than failures allowed: the extra ones are refused
        # unchecked.
        return Attempt(key, number, _lock(key, now=now))
    return Attempt(key, number)


def attempt_failed(attempt: Attempt, *, now: datetime) -> datetime | None:
    """The password was wrong. Returns the end of the lock when this failure starts one."""
    if attempt.number >= FAILURES:
        return _lock(attempt.key, now=now)
    return None


def attempt_succeeded(attempt: Attempt) -> None:
    cache.delete_many([f"{attempt.key}:since", f"{attempt.key}:count"])
