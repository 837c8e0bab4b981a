"""IT rates its customers: the agent's rating of a ticket's collaboration (write) and the only
read of it, aggregated per requester department with a minimum group size."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Avg, Count
from django.utils import timezone

from surveys.models import Agent, Ticket
from surveys.privacy import min_group

from .models import CustomerRating, TeamRules

RATABLE_DAYS = 14  # an agent rates while the ticket is fresh
RESULT_DAYS = 365


class NotRatable(Exception):
    """The team has not enabled ratings, or the ticket is not this agent's."""


def ratable_tickets(agent: Agent, now: datetime):
    enabled = TeamRules.objects.filter(rate_customers=True).values("team_id")
    return Ticket.objects.filter(
        agent=agent, team_id__in=enabled, closed_at__gte=now - timedelta(days=RATABLE_DAYS)
    )


def customer_rating_set(
    *, ticket: Ticket, agent: Agent, score: int, now: datetime | None = None
) -> CustomerRating:
    now = now or timezone.now()
    if not 0 <= score <= 10:
        raise ValueError("score must be 0..10")
    if not ratable_tickets(agent, now).filter(pk=ticket.pk).exists():
        raise NotRatable
    rating, _created = CustomerRating.objects.update_or_create(
        ticket=ticket,
        defaults={
            "team_id": ticket.team_id,
            "agent": agent,
            "score": score,
            "department": ticket.requester.department,
            "created_at": now,
        },
    )
    return rating


@dataclass(frozen=True)
class DepartmentRow:
    department: str  # "" for the merged small groups / no department
    ratings: int
    average: float
    small_groups: bool = False


def ratings_by_department(now: datetime, days: int = RESULT_DAYS) -> tuple[list, int]:
    """Average per department; departments below the minimum group size are merged into one
    row, itself shown only when it reaches the minimum. Returns (rows, ratings hidden)."""
    minimum = min_group()
    groups = (
        CustomerRating.objects.filter(created_at__gte=now - timedelta(days=days))
        .values("department")
        .annotate(ratings=Count("id"), average=Avg("score"))
        .order_by("department")
    )
    rows, small_n, small_sum = [], 0, 0.0
    for group in groups:
        if group["department"] and group["ratings"] >= minimum:
            rows.append(DepartmentRow(group["department"], group["ratings"], group["average"]))
        else:
            small_n += group["ratings"]
            small_sum += group["average"] * group["ratings"]
    hidden = small_n
    if small_n >= minimum:
        rows.append(DepartmentRow("", small_n, small_sum / small_n, small_groups=True))
        hidden = 0
    return rows, hidden
