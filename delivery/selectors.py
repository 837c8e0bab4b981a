"""Reads for the staff delivery page."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from surveys.models import Invitation

from .models import Bounce

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Status = Invitation.Status


def status_counts_by_day(*, days: int, now: datetime) -> tuple[list["StrOrPromise"], list[dict]]:
    """Invitations per day of closing (the organisation's days) and status, newest day first."""
    today = timezone.localdate(now)
    since = today - timedelta(days=days - 1)
    rows = (
        Invitation.objects.annotate(
            day=TruncDate("created_at", tzinfo=timezone.get_current_timezone())
        )
        .filter(day__gte=since)
        .values("day", "status")
        .annotate(count=Count("id"))
    )
    counts: dict = {}
    for row in rows:
        counts.setdefault(row["day"], {})[row["status"]] = row["count"]
    statuses = [value for value, _label in Status.choices]
    table = []
    for offset in range(days):
        day = today - timedelta(days=offset)
        per_status = counts.get(day, {})
        table.append(
            {
                "day": day,
                "counts": [per_status.get(status, 0) for status in statuses],
                "total": sum(per_status.values()),
            }
        )
    return [label for _value, label in Status.choices], table


def with_status(status: str, limit: int = 100) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(status=status)
        .select_related("ticket", "requester", "team")
        .order_by("-created_at", "-id")[:limit]
    )


def suppressed_reasons() -> QuerySet[Any, Any]:  # rows of reason and count
    return (
        Invitation.objects.filter(status=Status.SUPPRESSED)
        .values("reason")
        .annotate(count=Count("id"))
        .order_by("-count", "reason")
    )


def bounces_recent(limit: int = 100) -> QuerySet[Bounce]:
    """What relays reported through the bounce mailbox (delivery/bounces.py), newest first."""
    return Bounce.objects.select_related("invitation__ticket", "invitation__team")[:limit]


def bounce_counts(*, days: int, now: datetime) -> dict[str, int]:
    """Hard and soft bounces received in the last `days` days."""
    return Bounce.objects.filter(received_at__gte=now - timedelta(days=days)).aggregate(
        hard=Count("id", filter=Q(is_hard=True)), soft=Count("id", filter=Q(is_hard=False))
    )
