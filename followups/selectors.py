"""Reads for the follow-up pages and the team section. Cases are looked up through the user."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q
from django.http import Http404

from accounts.access import teams_for_user

from .models import FollowUpCase

SUMMARY_DAYS = 90


def cases_for_user(user):
    """Cases of the teams the user sees, and cases they own."""
    if not user.is_authenticated:
        return FollowUpCase.objects.none()
    return FollowUpCase.objects.filter(Q(team__in=teams_for_user(user)) | Q(owner=user))


def get_case_for_user(user, pk: int) -> FollowUpCase:
    case = (
        cases_for_user(user)
        .select_related(
            "team",
            "owner",
            "response__agent",
            "response__invitation__ticket",
            "response__invitation__requester",
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def owner_choices(team):
    """Who can own a team's case: its leads and its agents who have an account."""
    return (
        get_user_model()
        .objects.filter(Q(led_teams=team) | Q(agent__team=team), is_active=True)
        .distinct()
        .order_by("username")
    )


@dataclass(frozen=True)
class FollowUpSummary:
    open: int
    overdue: int
    due: int  # cases of the period whose follow-up is due or done
    in_time: int

    @property
    def share_in_time(self) -> float | None:
        return None if self.due == 0 else self.in_time / self.due


def team_summary(team, now: datetime, days: int = SUMMARY_DAYS) -> FollowUpSummary:
    """Open and overdue cases now; of the cases opened in the last `days` days whose due time
    has passed or that were followed up, the share followed up before their due time."""
    open_status = FollowUpCase.Status.OPEN
    counts = FollowUpCase.objects.filter(team=team).aggregate(
        open=Count("id", filter=Q(status=open_status)),
        overdue=Count("id", filter=Q(status=open_status, due_at__lte=now)),
    )
    recent = FollowUpCase.objects.filter(team=team, opened_at__gte=now - timedelta(days=days))
    share = recent.filter(Q(followed_up_at__isnull=False) | Q(due_at__lte=now)).aggregate(
        due=Count("id"),
        in_time=Count("id", filter=Q(followed_up_at__lte=F("due_at"))),
    )
    return FollowUpSummary(counts["open"], counts["overdue"], share["due"], share["in_time"])
