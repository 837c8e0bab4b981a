"""Closing the loop. One module per part; Django finds every model through this package."""

from .cases import CaseNote, FollowUpCase, TeamRules
from .digests import DigestSent
from .reasons import KeywordRule, ResponseTag

__all__ = [
    "CaseNote",
    "DigestSent",
    "FollowUpCase",
    "KeywordRule",
    "ResponseTag",
    "TeamRules",
]
