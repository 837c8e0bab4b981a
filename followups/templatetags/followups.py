"""{% followup_section team %}: the follow-up block for a team page (open, overdue, in time)."""

from django import template
from django.utils import timezone

from ..selectors import team_summary

register = template.Library()


@register.inclusion_tag("followups/_section.html")
def followup_section(team):
    return {"team": team, "summary": team_summary(team, timezone.now())}
