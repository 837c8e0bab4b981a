"""Closing the loop. One module per part; Django finds every model through this package."""

from .cases import WEEKDAYS, CaseNote, FollowUpCase, Preference, TeamRules
from .reasons import KeywordRule, ResponseTag

__all__ = [
    "WEEKDAYS",
    "CaseNote",
    "FollowUpCase",
    "KeywordRule",
    "Preference",
    "ResponseTag",
    "TeamRules",
]
