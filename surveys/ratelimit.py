"""Fixed-window rate limits counted in the shared cache (Redis; the database when embedded).

One counter per key and window, counted atomically in Redis, so every gunicorn worker and host
sees the same count: INCR and EXPIRE NX sent together, one round trip on every API call (Django's
cache.add and cache.incr took three: SET NX, EXISTS, INCR; issue 18). Other caches (the
database table of the embedded default, the tests' memory) go through cache.add and cache.incr.
A fixed window lets a burst of up to twice the rate straddle a boundary; for "600 calls a
minute" that is acceptable, and it costs one round trip where a sliding log would keep a row
per call.
"""

import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass
from functools import cache as memoize

from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)

SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
SECONDS |= {unit[0]: seconds for unit, seconds in SECONDS.items()}
RATE = re.compile(r"\s*([1-9][0-9]*)\s*/\s*(second|minute|hour|day|s|m|h|d)\s*")


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int
    text: str

    @classmethod
    @memoize
    def parse(cls, raw: str) -> "Rate":
        """ "600/minute" → Rate(600, 60). Settings check the format at start-up."""
        found = RATE.fullmatch(raw)
        if found is None:
            raise ValueError(f"not a rate: {raw!r}")
        return cls(int(found[1]), SECONDS[found[2]], raw.strip())


def rate_hit(*, key: str, rate: Rate, now: float | None = None) -> int | None:
    """Count one call against `key`. None when it is within the rate, else the seconds until
    the window ends (for Retry-After).

    When the cache cannot be reached the call is let through (and logged): the API keeps
    taking tickets while Redis restarts, as it does when the broker is down.
    """
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    name = f"rate:{key}:{rate.seconds}:{window}"
    try:
        count = _count(name, timeout=rate.seconds + 1)
    except Exception:  # any cache failure: redis errors, a missing cache table
        log.warning("rate limit not counted: the cache is unreachable", exc_info=True)
        return None
    if count <= rate.limit:
        return None
    return max(1, math.ceil((window + 1) * rate.seconds - now))


def _count(name: str, *, timeout: int) -> int:
    """Add one to the window's counter (made, with its expiry, by the first call); the count."""
    cache = caches[DEFAULT_CACHE_ALIAS]  # the backend itself (`cache` is a proxy to it)
    if isinstance(cache, RedisCache):
        key = cache.make_and_validate_key(name)
        # One round trip; EXPIRE NX sets the expiry only when the key has none (a new counter).
        # (Django's RedisCache keeps its redis-py client behind _cache; no public way to it.)
        pipeline = cache._cache.get_client(key, write=True).pipeline(transaction=False)
        pipeline.incr(key)
        pipeline.expire(key, timeout, nx=True)
        count, _expiry_set = pipeline.execute()
        return int(count)
    cache.add(name, 0, timeout=timeout)
    try:
        return cache.incr(name)
    except ValueError:  # expired between add and incr: this call starts the count
        cache.add(name, 1, timeout=timeout)
        return 1


def address_key(address: str) -> str:
    """The unit an address is limited as: itself, or its /64 for IPv6, since one host or
    customer usually holds a whole /64 and could otherwise take a fresh address per call."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 host it names
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))
