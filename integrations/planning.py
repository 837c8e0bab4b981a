"""surveys.delivery.rules.plan_invitation for a whole batch, in three queries instead of 3 × n.

It reuses that module's pieces and wording, and tests/test_bulk_planning.py checks that both
give the same status, reason and send time in every case; a rule added there belongs here too.
The caller holds locks on the requester rows, as plan_invitation asks.
"""

from datetime import datetime, timedelta

from django.db.models import Max, Q

from surveys.delivery import rules
from surveys.delivery.models import DeliveryRule, SuppressedAddress
from surveys.models import Invitation


def _rules(teams) -> dict:
    found = {
        rule.team_id: rule for rule in DeliveryRule.objects.filter(Q(team__in=teams) | Q(team=None))
    }
    default = found.get(None) or DeliveryRule()
    return {team.pk: found.get(team.pk) or default for team in teams}


def _recent(requester_ids, days: int, now: datetime) -> dict[int, tuple]:
    """requester id → (latest sent_at within `days`, has a planned or sending invitation)."""
    if not days or not requester_ids:
        return {}
    rows = (
        Invitation.objects.filter(requester_id__in=requester_ids)
        .filter(
            Q(sent_at__gt=now - timedelta(days=days))
            | Q(status__in=[Invitation.Status.PLANNED, Invitation.Status.SENDING])
        )
        .values("requester_id")
        .annotate(
            last_sent=Max("sent_at"),
            waiting=Max("id", filter=Q(status__in=["planned", "sending"])),
        )
    )
    return {row["requester_id"]: (row["last_sent"], row["waiting"] is not None) for row in rows}


def _surveyed_lately(recent: dict, requester_id: int, days: int, now: datetime) -> bool:
    if not days or requester_id not in recent:
        return False
    last_sent, waiting = recent[requester_id]
    return waiting or (last_sent is not None and last_sent > now - timedelta(days=days))


def plan_invitations(tickets, *, now: datetime) -> list[Invitation]:
    """Unsaved invitations for freshly created tickets (with requester, team, agent set)."""
    if not tickets:
        return []
    by_team = _rules({ticket.team for ticket in tickets})
    emails = {ticket.requester.email.lower() for ticket in tickets}
    suppressed = dict(
        SuppressedAddress.objects.filter(email__in=emails).values_list("email", "reason")
    )
    longest = max(rule.throttle_days for rule in by_team.values())
    recent = _recent({ticket.requester_id for ticket in tickets}, longest, now)
    invitations = []
    for ticket in tickets:
        requester, agent, rule = ticket.requester, ticket.agent, by_team[ticket.team_id]
        invitation = Invitation(
            ticket=ticket,
            requester=requester,
            team=ticket.team,
            agent=agent,
            send_after=now,
            link_valid_days=rule.link_valid_days,
            remind_after_days=rule.reminder_after_days,
        )
        reason = _reason(rule, ticket, requester, agent, suppressed, recent, now)
        if reason:
            invitation.status, invitation.reason = Invitation.Status.SUPPRESSED, reason
        else:
            due = max(now, ticket.closed_at + timedelta(minutes=rule.send_delay_minutes))
            invitation.send_after = rule.in_office_hours(due, rules.requester_zone(requester))
            # A later ticket of this requester in the same batch sees this one as waiting.
            recent[requester.id] = (recent.get(requester.id, (None, False))[0], True)
        invitations.append(invitation)
    return invitations


def _reason(rule, ticket, requester, agent, suppressed, recent, now) -> str:
    email = requester.email.lower()
    if agent is not None and agent.email.lower() == email:
        return rules.REQUESTER_IS_AGENT
    if requester.is_opted_out:
        return rules.OPTED_OUT
    if email in suppressed:
        return suppressed[email]
    if excluded := rule.is_excluded(email):
        return excluded
    if rule.exclude_service_accounts and rules.is_service_account(email):
        return rules.SERVICE_ACCOUNT
    if not rules.is_sampled(ticket, rule.sample_percent):
        return rules.NOT_SAMPLED
    if _surveyed_lately(recent, requester.id, rule.throttle_days, now):
        return rules.THROTTLED
    return ""
