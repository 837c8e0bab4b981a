"""Staff: how delivery is going, and a second chance for failed surveys."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from surveys.models import Invitation
from surveys.staffaccess import staff_page
from surveys.views.staff import invitation_resend_reply

from . import selectors

DAYS = 14


@staff_page(may="may_see_delivery")
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


@require_POST
@staff_page(may="may_see_delivery")
def delivery_resend(request, pk):
    """The same resend as on the ticket list, coming back to this page afterwards."""
    invitation = get_object_or_404(Invitation, pk=pk)
    return invitation_resend_reply(request, invitation, back="delivery")
