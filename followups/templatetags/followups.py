"""{% followup_section team %} and {% reasons_section team %}: the follow-up blocks of a team page
(open, overdue, in time; the top reasons). The dashboard's team page includes them by template, so
that scoring never imports followups."""

from datetime import timedelta

from django import template
from django.utils import timezone

from ..rootcauses import reason_counts, reasons_withheld
from ..selectors import team_summary

register = template.Library()


@register.inclusion_tag("followups/_section.html")
def followup_section(team):
    return {"team": team, "summary": team_summary(team, timezone.now())}


@register.inclusion_tag("followups/_reasons_section.html")
def reasons_section(team, days=90):
    start = timezone.now() - timedelta(days=days)
    return {
        "team": team,
        "counts": reason_counts(team, start)[:5],
        "withheld": reasons_withheld(team, start),
    }


@register.simple_tag
def team_followups(team, now):
    """{% team_followups team now as followups %}: open and overdue cases, for the lead's digest
    (scoring writes the digest and may not import followups; its template may load us)."""
    return team_summary(team, now)
