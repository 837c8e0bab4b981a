"""The sections of the settings area, in the order the hub and its navigation show them.

Each is linked by URL name and shown to those its access rule (accounts/access.py) admits.
Sections owned by one app live in that app (see the setup package's docstring); they are listed
here, in the top layer, which may import every app's URL names and access rules.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts import access


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    summary: str | Promise
    url_name: str
    may: Callable[..., bool]

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SECTIONS: list[Section] = [
    Section(
        "teams",
        _("Teams"),
        _("Teams, their members and leads, when and how their survey is sent, its question."),
        "settings-team-list",
        access.may_configure_teams,
    ),
    Section(
        "accounts",
        _("User accounts"),
        _("Who signs in to ITPulse, with which roles; invitations and deactivation."),
        "settings-account-list",
        access.may_manage_accounts,
    ),
    Section(
        "connectors",
        _("Connectors"),
        _("Helpdesk tools that report closed tickets, with their test event."),
        "settings-connector-list",
        access.may_manage_connectors,
    ),
    Section(
        "api-tokens",
        _("API tokens"),
        _("Tokens for helpdesk tools that call the API."),
        "settings-token-list",
        access.may_see_api_tokens,
    ),
    Section(
        "webhooks",
        _("Webhooks"),
        _("Addresses that receive answers and follow-up cases."),
        "webhook-list",
        access.may_manage_webhooks,
    ),
    Section(
        "periodic-surveys",
        _("Periodic surveys"),
        _("Surveys of a random sample of requesters: their question, schedule and reminder."),
        "settings-surveys",
        access.may_manage_periodic_surveys,
    ),
    Section(
        "reasons",
        _("Reasons and keywords"),
        _("The reasons behind scores, and the words in comments that suggest them."),
        "settings-reasons",
        access.may_manage_reasons,
    ),
]


def sections_for(user) -> list[Section]:
    """The sections this user may open; empty for anyone the settings area is not for."""
    if not access.has_role(user):
        return []
    return [section for section in SECTIONS if section.may(user)]
