"""IT rates its customers: the agent's rating of a ticket's collaboration (write) and the only
read of it, aggregated per requester department with a minimum group of distinct requesters."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Avg, Count, QuerySet
from django.utils import timezone

from followups.models import TeamRules
from surveys.models import Agent, Ticket
from surveys.privacy import group_shown

from .models import CustomerRating

RATABLE_DAYS = 14  # an agent rates while the ticket is fresh
RESULT_DAYS = 365


class NotRatable(Exception):
    """The team has not enabled ratings, or the ticket is not this agent's."""


def ratable_tickets(agent: Agent, now: datetime) -> QuerySet[Ticket]:
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
            # A requester erased meanwhile (privacy) leaves no department.
            "department": ticket.requester.department if ticket.requester else "",
            "created_at": now,
        },
    )
    return rating


@dataclass(frozen=True)
class DepartmentRow:
    department: str  # "" for the merged small groups / no department
    ratings: int
    people: int  # distinct requesters: the group size the minimum counts
    average: float
    small_groups: bool = False


def ratings_by_department(now: datetime, days: int = RESULT_DAYS) -> tuple[list, int]:
    """Average per department; departments rated for fewer distinct requesters than the minimum
    group are merged into one row, itself shown only when its distinct requesters reach it (one
    requester rated five times is one person). Returns (rows, ratings hidden)."""
    recent = CustomerRating.objects.filter(created_at__gte=now - timedelta(days=days))
    # A rating whose ticket lost its requester (erasure) counts nobody: the safe side.
    figures = {
        "ratings": Count("id"),
        "people": Count("ticket__requester", distinct=True),
        "average": Avg("score"),
    }
    # (The stubs type a values() row by its named fields; the figures' names are made above.)
    groups: Iterable[Mapping[str, Any]] = (
        recent.values("department").annotate(**figures).order_by("department")
    )
    rows, small = [], []
    for group in groups:
        if group["department"] and group_shown(group["people"]):
            rows.append(DepartmentRow(**group))
        else:
            small.append(group["department"])
    if not small:
        return rows, 0
    # Counted again over the merged ratings: a requester who moved between two small
    # departments is still one person.
    merged = recent.filter(department__in=small).aggregate(**figures)
    if group_shown(merged["people"]):
        rows.append(DepartmentRow(department="", small_groups=True, **merged))
        return rows, 0
    return rows, merged["ratings"]
