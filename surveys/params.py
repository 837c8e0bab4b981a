"""Whole numbers from addresses and query strings: ASCII digits 0-9 only.

str.isdigit() is true for "²" and "٣": int() refuses the first (a 500 for `?page=²` where a view
checked isdigit() first) and reads the second as 3. Users type ASCII digits; anything else is
not a number here.
"""

import re

_DIGITS = re.compile(r"[0-9]+")


def ascii_int(raw: str | None, *, max_digits: int = 9) -> int | None:
    """The number `raw` spells in ASCII digits, or None (also for more than max_digits)."""
    if not raw or len(raw) > max_digits or not _DIGITS.fullmatch(raw):
        return None
    return int(raw)
