"""The demo's ratings of customers (accounts.signals.demo_loaded): the Service Desk and
Network & Infrastructure agree to rate the collaboration, and their agents rate most of their
tickets of the last months, through customer_rating_set as an agent does on closing a ticket."""

import random
from datetime import datetime, timedelta

from django.db import transaction

from followups.models import TeamRules
from surveys.demo import SOURCE
from surveys.models import Team, Ticket

from .models import CustomerRating
from .services import customer_rating_set

RATING_TEAMS = ("service-desk", "network")
RATING_DAYS = 120
SHARE_RATED = 0.6
# Most collaborations go well; some requesters are hard to reach or unclear.
SCORES = [10, 9, 9, 8, 8, 8, 7, 7, 6, 5, 3]


def load_ratings(*, now: datetime, seed: int = 2026) -> int:
    """Ratings for the demo's recent tickets of RATING_TEAMS, once. Returns how many."""
    if CustomerRating.objects.filter(ticket__source=SOURCE).exists():
        return 0
    rng = random.Random(seed)
    made = 0
    with transaction.atomic():
        tickets = Ticket.objects.filter(
            source=SOURCE,
            team__slug__in=RATING_TEAMS,
            agent__isnull=False,
            closed_at__gte=now - timedelta(days=RATING_DAYS),
        ).select_related("agent", "requester")
        for team in Team.objects.filter(slug__in=RATING_TEAMS):
            # The teams' agreement (works council, privacy officer) is the administrator's switch.
            TeamRules.objects.update_or_create(team=team, defaults={"rate_customers": True})
        for ticket in tickets.order_by("closed_at", "id"):
            if rng.random() >= SHARE_RATED or ticket.agent is None:
                continue
            # The agent rates at the close: `now` of the rating is the ticket's own.
            rated = min(ticket.closed_at + timedelta(minutes=5), now)
            customer_rating_set(
                ticket=ticket, agent=ticket.agent, score=rng.choice(SCORES), now=rated
            )
            made += 1
    return made
