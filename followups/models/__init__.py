"""Closing the loop. One module per part; Django finds every model through this package."""

from .cases import CaseNote, FollowUpCase, TeamRules
from .reasons import KeywordRule, ResponseTag

__all__ = [
    "CaseNote",
    "FollowUpCase",
    "KeywordRule",
    "ResponseTag",
    "TeamRules",
]
