"""Staff: how often mail scanners open survey links, and whether people answer anyway."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone

from ..models import Invitation, LinkClick
from ..params import ascii_int
from ..scanning import clicks_by_client, scanner_figures, scanner_figures_by_team
from ..staffaccess import staff_page

PERIODS = (7, 30, 90)


@staff_page(may="may_see_delivery")
def scanner_report(request):
    days = ascii_int(request.GET.get("days"))
    days = days if days in PERIODS else 30
    since = timezone.now() - timedelta(days=days)
    invitations = Invitation.objects.filter(sent_at__gte=since)
    context = {
        "days": days,
        "periods": PERIODS,
        "totals": {"sent": invitations.count(), **scanner_figures(invitations)},
        "teams": scanner_figures_by_team(invitations),
        "clients": clicks_by_client(LinkClick.objects.filter(invitation__in=invitations)),
    }
    return render(request, "surveys/scanner_report.html", context)
