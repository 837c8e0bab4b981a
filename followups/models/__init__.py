"""Closing the loop. One module per part; Django finds every model through this package."""

from .campaigns import Campaign, CampaignAnswer, CampaignInvitation
from .cases import CaseNote, FollowUpCase, TeamRules
from .digests import DigestSent
from .ratings import CustomerRating
from .reasons import KeywordRule, ResponseTag

__all__ = [
    "Campaign",
    "CampaignAnswer",
    "CampaignInvitation",
    "CaseNote",
    "CustomerRating",
    "DigestSent",
    "FollowUpCase",
    "KeywordRule",
    "ResponseTag",
    "TeamRules",
]
