"""Closing the loop. One module per part; Django finds every model through this package."""

from .alerts import CaseAlert, CaseWebhookPost
from .cases import CaseNote, FollowUpCase, TeamRules
from .reasons import KeywordRule, ResponseTag

__all__ = [
    "CaseAlert",
    "CaseNote",
    "CaseWebhookPost",
    "FollowUpCase",
    "KeywordRule",
    "ResponseTag",
    "TeamRules",
]
