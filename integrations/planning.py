"""delivery.rules.Planner over a whole helpdesk batch: a constant number of queries.

The rules themselves live only in delivery.rules; tests/test_bulk_planning.py checks that
a batch and single closes give the same status, reason and send time. The caller holds locks on
the requester rows, as the Planner asks.
"""

from datetime import datetime

from delivery.rules import Planner
from surveys.models import Invitation


def plan_invitations(tickets, *, now: datetime) -> list[Invitation]:
    """Unsaved invitations for freshly created tickets (with requester, team, agent set)."""
    if not tickets:
        return []
    planner = Planner(now)
    planner.load_rules({ticket.team for ticket in tickets})
    planner.prepare({ticket.requester for ticket in tickets})
    return [
        planner.plan(ticket=t, requester=t.requester, team=t.team, agent=t.agent) for t in tickets
    ]
