"""Staff: how delivery is going, and a second chance for failed surveys."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Invitation
from ..services import invitation_resend
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


@require_POST
@staff_member_required
def resend(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    if invitation_resend(invitation=invitation):
        messages.success(
            request, _("The survey for %(ticket)s is on its way.") % {"ticket": invitation.ticket}
        )
    else:
        messages.error(request, _("This survey was already sent; it cannot be sent again."))
    return redirect("delivery")
