"""Staff: how delivery is going, and a second chance for failed surveys."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import render
from django.utils import timezone

from ..models import Invitation
from . import selectors

DAYS = 14


@staff_member_required
def delivery(request):
    now = timezone.now()
    statuses, table = selectors.status_counts_by_day(days=DAYS, now=now)
    context = {
        "days": DAYS,
        "statuses": statuses,
        "table": table,
        "failed": selectors.with_status(Invitation.Status.FAILED),
        "suppressed": selectors.with_status(Invitation.Status.SUPPRESSED),
        "suppressed_reasons": selectors.suppressed_reasons(),
    }
    return render(request, "delivery/delivery.html", context)
