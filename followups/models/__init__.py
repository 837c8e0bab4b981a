"""Closing the loop. One module per part; Django finds every model through this package."""

from .alerts import CaseAlert
from .cases import CaseNote, FollowUpCase, TeamRules
from .reasons import KeywordRule, ResponseTag

__all__ = [
    "CaseAlert",
    "CaseNote",
    "FollowUpCase",
    "KeywordRule",
    "ResponseTag",
    "TeamRules",
]
