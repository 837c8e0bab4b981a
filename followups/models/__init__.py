"""Closing the loop. One module per part; Django finds every model through this package."""

from .cases import CaseNote, FollowUpCase, TeamRules
from .digests import DigestSent
from .ratings import CustomerRating
from .reasons import KeywordRule, ResponseTag

__all__ = [
    "CaseNote",
    "CustomerRating",
    "DigestSent",
    "FollowUpCase",
    "KeywordRule",
    "ResponseTag",
    "TeamRules",
]
