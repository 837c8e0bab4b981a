"""Staff: how delivery is going, and a second chance for failed surveys."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys.models import Invitation
from surveys.staffaccess import access, staff_page

from . import selectors
from .services import invitation_resend

DAYS = 14


@staff_page(may="may_see_delivery")
def delivery(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    statuses, table = selectors.status_counts_by_day(days=DAYS, now=now)
    context = {
        "days": DAYS,
        "statuses": statuses,
        "table": table,
        "failed": selectors.with_status(Invitation.Status.FAILED),
        "suppressed": selectors.with_status(Invitation.Status.SUPPRESSED),
        "suppressed_reasons": selectors.suppressed_reasons(),
        "bounces": selectors.bounces_recent(),
        "bounce_counts": selectors.bounce_counts(days=DAYS, now=now),
    }
    return render(request, "delivery/delivery.html", context)


@require_POST
@staff_page(may="may_see_delivery")
def delivery_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """The same resend as on the ticket list, coming back to this page afterwards."""
    invitation = get_object_or_404(Invitation, pk=pk)
    return invitation_resend_reply(request, invitation, back="delivery")


@require_POST
@staff_page(may="may_see_tickets")
def invitation_resend_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Resend from the ticket list: only an invitation of a ticket this person may see."""
    invitation = get_object_or_404(access().invitations_for_user(request.user), pk=pk)
    return invitation_resend_reply(request, invitation, back="ticket-list")


def invitation_resend_reply(
    request: HttpRequest, invitation: Invitation, *, back: str
) -> HttpResponse:
    if invitation_resend(invitation=invitation):
        messages.success(
            request, _("The survey for %(ticket)s is on its way.") % {"ticket": invitation.ticket}
        )
    else:
        messages.error(request, _("This survey was already sent; it cannot be sent again."))
    return redirect(back)
