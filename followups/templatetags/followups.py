"""{% followup_section team %}: the follow-up block for a team page (open, overdue, in time)."""

from django import template
from django.utils import timezone

from ..selectors import team_summary

register = template.Library()


@register.inclusion_tag("followups/_section.html")
def followup_section(team):
    return {"team": team, "summary": team_summary(team, timezone.now())}


@register.inclusion_tag("followups/_reasons_section.html")
def reasons_section(team, days=90):
    from datetime import timedelta

    from ..rootcauses import reason_counts, reasons_withheld

    start = timezone.now() - timedelta(days=days)
    return {
        "team": team,
        "counts": reason_counts(team, start)[:5],
        "withheld": reasons_withheld(team, start),
    }


@register.filter
def shown_ticket(response) -> str:
    """The ticket id behind a response, or "" for an anonymous team (issue 6's rule)."""
    from surveys.anonymity import shown_ticket_ref

    return shown_ticket_ref(response)
