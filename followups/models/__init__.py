"""Closing the loop. One module per part; Django finds every model through this package."""

from .cases import WEEKDAYS, CaseNote, FollowUpCase, Preference, TeamRules
from .digests import DigestSent
from .reasons import KeywordRule, ResponseTag

__all__ = [
    "WEEKDAYS",
    "CaseNote",
    "DigestSent",
    "FollowUpCase",
    "KeywordRule",
    "Preference",
    "ResponseTag",
    "TeamRules",
]
