"""Staff pages: recent tickets with their survey status, closing a ticket by hand, sent mail.

Who sees which tickets, and whose scores, is asked of the registered access module
(surveys/staffaccess.py, answered by accounts/access.py)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.translation import gettext as _

from ..anonymity import shown_status
from ..forms import TicketCloseForm
from ..mailpreview import preview_policy
from ..models import CapturedEmail, Invitation
from ..services import ticket_close
from ..staffaccess import access, staff_page


@staff_page(may="may_see_tickets")
def ticket_list(request):
    rules = access()
    tickets = (
        rules.tickets_for_user(request.user)
        .select_related("team", "agent", "requester", "invitation", "invitation__response")
        .order_by("-closed_at", "-id")
    )
    page = Paginator(tickets, 50).get_page(request.GET.get("page"))
    # A ticket's score is a score of its agent: shown only to who may see the team's agents.
    scored = set(rules.teams_with_agent_scores(request.user).values_list("id", flat=True))
    now = timezone.now()
    for ticket in page:
        ticket.score_shown = ticket.team_id in scored
        invitation = getattr(ticket, "invitation", None)
        if invitation is not None:
            # An anonymous answer is not told per ticket (surveys/anonymity.py).
            invitation.status_shown = Invitation.Status(shown_status(invitation, now)).label
    context = {"page": page, "scores_shown": bool(scored)}
    return render(request, "surveys/ticket_list.html", context)


@staff_page(may="may_see_tickets")
def ticket_close_view(request):
    form = TicketCloseForm(request.POST or None)
    team_field = form.fields["team"]
    assert isinstance(team_field, forms.ModelChoiceField)  # (self.fields holds the declared ones)
    team_field.queryset = access().teams_to_close_for(request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = ticket_close(
            source=data["source"],
            external_id=data["external_id"],
            team=data["team"],
            subject=data["subject"],
            requester_email=data["requester_email"],
            requester_name=data["requester_name"],
            requester_language=data["requester_language"],
            requester_time_zone=data["requester_time_zone"],
            agent_email=data["agent_email"],
            agent_name=data["agent_name"],
            closed_at=data["closed_at"],
        )
        if result.created:
            messages.success(request, _("Ticket %(ticket)s closed.") % {"ticket": result.ticket})
        else:
            messages.info(
                request,
                _("Ticket %(ticket)s was already registered; no second survey.")
                % {"ticket": result.ticket},
            )
        return redirect("ticket-list")
    return render(request, "surveys/ticket_close.html", {"form": form})


def _captured_only():
    if not settings.EMAIL_CAPTURED:
        # With a real SMTP server, mail is not kept: the page would be empty and misleading.
        raise Http404


# Sent mail holds live survey links: whoever opens one can answer as the requester.
@staff_page(may="may_see_delivery")
def sent_mail_list(request):
    _captured_only()
    page = Paginator(CapturedEmail.objects.all(), 50).get_page(request.GET.get("page"))
    return render(request, "surveys/sent_mail_list.html", {"page": page})


@staff_page(may="may_see_delivery")
def sent_mail_detail(request, pk):
    _captured_only()
    mail = get_object_or_404(CapturedEmail, pk=pk)
    response = render(request, "surveys/sent_mail_detail.html", {"mail": mail})
    if mail.html:
        # The CSP middleware leaves a policy the view set alone.
        response[str(CSP.HEADER_ENFORCE)] = preview_policy(mail.html)
    return response
