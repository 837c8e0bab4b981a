"""Staff: how delivery is going. Requesters: the one-click opt-out behind List-Unsubscribe."""

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..models import Invitation
from ..services import invitation_for_token, invitation_resend
from . import selectors
from .services import requester_opt_out

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


# The link token is the credential and mail clients post without cookies (RFC 8058), so this
# view cannot ask for a CSRF token; a forged POST could only opt the link's owner out.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        response = render(request, "surveys/link_unknown.html", {"invitation": None}, status=404)
    else:
        translation.activate(invitation.requester.language)
        done = request.method == "POST"
        if done:
            requester_opt_out(requester=invitation.requester)
        response = render(
            request, "delivery/unsubscribe.html", {"token": token, "done": done}, status=200
        )
    response["Referrer-Policy"] = "no-referrer"
    return response
