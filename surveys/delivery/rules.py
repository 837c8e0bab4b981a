"""Planning: given a closed ticket, is a survey sent, and when? Every "no" has a reason."""

import re
import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.crypto import salted_hmac

from ..models import Invitation, Requester
from .models import DeliveryRule, SuppressedAddress

# Reasons are stored on the invitation as plain words (staff page, API); keep them stable.
REQUESTER_IS_AGENT = "requester is the agent"
OPTED_OUT = "opted out"
SERVICE_ACCOUNT = "service account"
NOT_SAMPLED = "not sampled"
THROTTLED = "throttled"


def rule_for(team) -> DeliveryRule:
    """The team's rule, else the organisation default, else the built-in defaults."""
    rules = {
        rule.team_id: rule for rule in DeliveryRule.objects.filter(Q(team=team) | Q(team=None))
    }
    return rules.get(team.pk) or rules.get(None) or DeliveryRule()


def requester_zone(requester: Requester) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(requester.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def is_sampled(ticket, percent: int) -> bool:
    """A fair, reproducible draw: the same ticket always gets the same answer."""
    if percent >= 100:
        return True
    digest = salted_hmac(
        "itpulse.delivery.sample", f"{ticket.source}:{ticket.external_id}", algorithm="sha256"
    )
    return int.from_bytes(digest.digest()[:8], "big") % 100 < percent


def is_service_account(email: str) -> bool:
    local = email.partition("@")[0]
    return re.fullmatch(settings.ITPULSE_SERVICE_ACCOUNTS, local, re.IGNORECASE) is not None


def was_surveyed_lately(requester: Requester, days: int, now: datetime) -> bool:
    if not days:
        return False
    return (
        Invitation.objects.filter(requester=requester)
        .filter(
            Q(sent_at__gt=now - timedelta(days=days))
            | Q(status__in=[Invitation.Status.PLANNED, Invitation.Status.SENDING])
        )
        .exists()
    )


def suppression_reason(rule: DeliveryRule, ticket, requester: Requester, agent, now) -> str:
    email = requester.email.lower()
    if agent is not None and agent.email.lower() == email:
        return REQUESTER_IS_AGENT
    if requester.is_opted_out:
        return OPTED_OUT
    suppressed = SuppressedAddress.objects.filter(email=email).first()
    if suppressed:
        return suppressed.reason
    if excluded := rule.is_excluded(email):
        return excluded
    if rule.exclude_service_accounts and is_service_account(email):
        return SERVICE_ACCOUNT
    if not is_sampled(ticket, rule.sample_percent):
        return NOT_SAMPLED
    if was_surveyed_lately(requester, rule.throttle_days, now):
        return THROTTLED
    return ""


def plan_invitation(*, ticket, requester, team, agent, now: datetime) -> Invitation:
    """The (unsaved) invitation for a closed ticket: planned with its send time, or suppressed.

    The caller holds a lock on the requester row, so two tickets of one requester closing at
    the same moment cannot both pass the throttle.
    """
    rule = rule_for(team)
    invitation = Invitation(
        ticket=ticket,
        requester=requester,
        team=team,
        agent=agent,
        send_after=now,
        link_valid_days=rule.link_valid_days,
        remind_after_days=rule.reminder_after_days,
    )
    if reason := suppression_reason(rule, ticket, requester, agent, now):
        invitation.status = Invitation.Status.SUPPRESSED
        invitation.reason = reason
        return invitation
    due = max(now, ticket.closed_at + timedelta(minutes=rule.send_delay_minutes))
    invitation.send_after = rule.in_office_hours(due, requester_zone(requester))
    return invitation
