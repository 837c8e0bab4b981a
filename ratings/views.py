"""IT rates its customers: an agent rates their own recent tickets; IT managers see the
aggregate per department. Nobody sees a rating of one person."""

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import agent_for_user, is_it_manager, staff_page
from surveys.models import Agent, Ticket

from .forms import CustomerRatingForm
from .services import NotRatable, customer_rating_set, ratable_tickets, ratings_by_department


def _agent_or_404(user: AbstractBaseUser | AnonymousUser) -> Agent:
    agent = agent_for_user(user)
    if agent is None:
        raise Http404
    return agent


@staff_page()
def my_tickets(request: HttpRequest) -> HttpResponse:
    agent = _agent_or_404(request.user)
    tickets = (
        ratable_tickets(agent, timezone.now())
        .select_related("customer_rating")
        .order_by("-closed_at")[:100]
    )
    rows = [
        (ticket, CustomerRatingForm(prefix=f"t{ticket.pk}", initial=_initial(ticket)))
        for ticket in tickets
    ]
    return render(request, "ratings/my_tickets.html", {"rows": rows})


def _initial(ticket: Ticket) -> dict[str, int]:
    rating = getattr(ticket, "customer_rating", None)
    return {"score": rating.score} if rating else {}


@require_POST
@staff_page()
def rate_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    agent = _agent_or_404(request.user)
    tickets = ratable_tickets(agent, timezone.now()).select_related("requester")
    ticket = tickets.filter(pk=pk).first()
    if ticket is None:
        raise Http404
    form = CustomerRatingForm(request.POST, prefix=f"t{pk}")
    if not form.is_valid():
        return render(request, "ratings/my_tickets.html", {"rows": [(ticket, form)]}, status=400)
    try:
        customer_rating_set(ticket=ticket, agent=agent, score=form.cleaned_data["score"])
    except NotRatable as exc:  # the team switched ratings off meanwhile
        raise Http404 from exc
    messages.success(request, _("Thank you: rating saved."))
    return redirect("my-tickets")


@staff_page(is_it_manager)
def customer_ratings(request: HttpRequest) -> HttpResponse:
    rows, hidden = ratings_by_department(timezone.now())
    return render(request, "ratings/customer_ratings.html", {"rows": rows, "hidden": hidden})
