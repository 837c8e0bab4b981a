"""A realistic demo organisation: five IT teams, their agents, a year of tickets and answers."""

import random
from datetime import timedelta

from django.db import transaction

from . import signals
from .models import (
    Agent,
    Invitation,
    QuestionType,
    Reason,
    Requester,
    Response,
    Team,
    Ticket,
    hash_token,
)
from .scales import DETRACTOR, NPS, PASSIVE, PROMOTER, Category, Scale, scale_for

SOURCE = "demo"
TEAMS = {
    "service-desk": ("Service Desk", ["Sanne de Vries", "Mohammed El Amrani", "Lisa Jansen"]),
    "workplace": ("Workplace", ["Daan Bakker", "Emma Visser", "Priya Sharma"]),
    "network": ("Network & Infrastructure", ["Thomas Smit", "Fatima Yilmaz"]),
    "applications": ("Applications", ["Jeroen Mulder", "Anna Kowalska", "Kevin Meijer"]),
    "identity": ("Identity & Access", ["Noor Hendriks", "Lucas de Boer"]),
}
# How each demo team asks (the rest ask the standard recommendation question, with quick picks).
QUESTION: dict[str, dict[str, object]] = {
    "workplace": {"question_type": QuestionType.SERVICE},
    "applications": {"question_type": QuestionType.EFFORT},
    "identity": {"question_type": QuestionType.NPS, "anonymous": True, "show_agent": False},
}
# Applications asked NPS until this many days ago, then effort: its page shows the new series
# and the earlier one kept apart.
SWITCHED_DAYS_AGO = {"applications": 75}
# Base probability of promoter / detractor per team, and how much it improves over the year.
PROFILE = {
    "service-desk": (0.55, 0.15, 0.10),
    "workplace": (0.45, 0.25, 0.15),
    "network": (0.35, 0.30, 0.00),
    "applications": (0.40, 0.25, -0.08),
    "identity": (0.60, 0.10, 0.05),
}
SUBJECTS = {
    "service-desk": ["Password reset", "Outlook keeps asking for password", "New starter account"],
    "workplace": ["Printer on floor 3", "Laptop replacement", "Docking station not working"],
    "network": ["Wi-Fi drops in meeting room", "VPN slow from home", "Firewall rule for supplier"],
    "applications": ["Report in finance system fails", "Access to CRM", "Error when saving order"],
    "identity": ["MFA device lost", "Access to shared mailbox", "Account locked"],
}
COMMENTS = {
    "en": {
        PROMOTER: [
            "Quick and friendly, thank you!",
            "Solved within the hour. Great.",
            "Clear explanation of what went wrong.",
            "",
        ],
        PASSIVE: ["Fine, but it took a few days.", "OK in the end.", ""],
        DETRACTOR: [
            "Nobody told me what was going on for a week.",
            "Ticket closed but the problem is still there.",
            "I had to explain the issue three times.",
            "",
        ],
    },
    "nl": {
        PROMOTER: [
            "Snel en vriendelijk geholpen, dank!",
            "Binnen een uur opgelost. Top.",
            "Duidelijke uitleg over wat er mis was.",
            "",
        ],
        PASSIVE: ["Prima, maar het duurde een paar dagen.", "Uiteindelijk goed gekomen.", ""],
        DETRACTOR: [
            "Een week lang geen enkele terugkoppeling.",
            "Ticket gesloten maar het probleem is er nog steeds.",
            "Ik moest het probleem drie keer uitleggen.",
            "",
        ],
    },
}
FIRST = [
    "Anne",
    "Bram",
    "Chloé",
    "Dirk",
    "Eva",
    "Femke",
    "Gert",
    "Hanna",
    "Ivo",
    "Julia",
    "Koen",
    "Laura",
    "Maarten",
    "Nina",
    "Olaf",
    "Pieter",
    "Roos",
    "Stijn",
    "Tess",
    "Wouter",
]
# Enough people that a periodic survey finds some not surveyed in its last month (a requester
# has a few tickets a year, as in a real organisation).
REQUESTERS = 600
# Requesters' departments: IT's ratings of its customers are shown per department only.
DEPARTMENTS = ["Finance", "HR", "Sales", "Operations", "Legal", "Marketing"]
# The slice of a demo ticket (surveys/slices.py), drawn from a generator of its own so that the
# scores and comments stay the ones they were before slices existed.
CATEGORIES = ["Hardware", "Software", "Accounts", "Network", "Printing"]
PRIORITIES = ["low", "normal", "normal", "normal", "high", "urgent"]
CHANNELS = ["email", "email", "portal", "portal", "phone", "chat", "walk_in"]
LAST = ["Jong", "Vos", "Peters", "Dekker", "Brouwer", "Wit", "Dijkstra", "Smits", "Kok", "Bos"]


def _slice_copy(invitation: Invitation) -> dict[str, str]:
    """As response_submit copies it (none for an anonymous team's answer)."""
    if invitation.team.anonymous or invitation.ticket is None:
        return {}
    return {
        "slice_category": invitation.ticket.category,
        "slice_priority": invitation.ticket.priority,
        "slice_channel": invitation.ticket.channel,
        "slice_department": invitation.requester.department if invitation.requester else "",
    }


def _score(rng, promoter, detractor, scale: Scale = NPS) -> tuple[int, Category]:
    """A score in the scale's good band with chance `promoter`, its bad band with `detractor`,
    else its middle one; within a band the top score comes twice as often, as in real
    answers. With it the NPS band whose comments fit it."""
    roll = rng.random()
    index = 0 if roll < promoter else 2 if roll < promoter + detractor else 1
    band = scale.categories[index]
    return rng.choice([*band.scores, band.high]), (PROMOTER, PASSIVE, DETRACTOR)[index]


@transaction.atomic
def load_demo(*, now, days: int = 365, seed: int = 2026) -> dict:
    """Create the demo organisation unless it is there already. Returns what it made. (Its
    manager login is made by accounts/demo.py, where roles are given.)"""
    if Ticket.objects.filter(source=SOURCE).exists():
        return {"created": False}
    rng = random.Random(seed)
    teams, agents = {}, {}
    for slug, (name, people) in TEAMS.items():
        team, _c = Team.objects.get_or_create(
            slug=slug, defaults={"name": name, **QUESTION.get(slug, {})}
        )
        team.quick_pick_reasons.add(*Reason.objects.filter(active=True))
        teams[slug] = team
        agents[slug] = [
            Agent.objects.get_or_create(
                email=f"{person.lower().replace(' ', '.')}@example.org",
                defaults={"team": team, "name": person},
            )[0]
            for person in people
        ]
    requesters = [
        Requester.objects.get_or_create(
            email=f"{first.lower()}.{last.lower()}{i}@example.org",
            defaults={
                "name": f"{first} {last}",
                "language": "nl" if i % 3 else "en",
                "department": DEPARTMENTS[i % len(DEPARTMENTS)],
            },
        )[0]
        for i, (first, last) in enumerate(
            (rng.choice(FIRST), rng.choice(LAST)) for _ in range(REQUESTERS)
        )
    ]
    tickets: list[Ticket] = []
    slicer = random.Random(seed + 1)
    for day in range(days, -1, -1):  # up to today: day 0 closes tickets in the last hours
        for slug in TEAMS:
            for _n in range(rng.randint(0, 3)):
                # At least two minutes ago: its invitation goes out a minute after the close.
                closed = now - timedelta(days=day, minutes=rng.randint(2, 8 * 60))
                tickets.append(
                    Ticket(
                        source=SOURCE,
                        external_id=f"SD-{10000 + len(tickets)}",
                        subject=rng.choice(SUBJECTS[slug]),
                        team=teams[slug],
                        agent=rng.choice(agents[slug]),
                        requester=rng.choice(requesters),
                        closed_at=closed,
                        category=slicer.choice(CATEGORIES).lower(),
                        priority=slicer.choice(PRIORITIES),
                        channel=slicer.choice(CHANNELS),
                    )
                )
    Ticket.objects.bulk_create(tickets, batch_size=500)
    invitations, responses = [], []
    for ticket in Ticket.objects.filter(source=SOURCE).select_related("requester", "team"):
        sent = ticket.closed_at + timedelta(minutes=1)
        answered_at = sent + timedelta(hours=rng.randint(1, 48))
        # An answer the draw puts after `now` has not been given yet: its invitation waits.
        answered = rng.random() < 0.42 and answered_at <= now
        inv = Invitation(
            ticket=ticket,
            requester=ticket.requester,
            team=ticket.team,
            agent_id=ticket.agent_id,
            send_after=ticket.closed_at,
            sent_at=sent,
            attempts=1,
            expires_at=sent + timedelta(days=14),
            token_hash=hash_token(f"demo-{ticket.external_id}-{rng.random()}"),
            status=Invitation.Status.ANSWERED
            if answered
            else (
                Invitation.Status.EXPIRED
                if sent + timedelta(days=14) < now
                else Invitation.Status.SENT
            ),
        )
        if answered:
            inv.answered_at = answered_at
        invitations.append(inv)
    Invitation.objects.bulk_create(invitations, batch_size=500)
    for inv in Invitation.objects.filter(
        ticket__source=SOURCE, status=Invitation.Status.ANSWERED
    ).select_related("ticket", "requester", "team"):
        promoter, detractor, trend = PROFILE[inv.team.slug]
        given, requester = inv.answered_at, inv.requester
        assert given is not None and requester is not None  # made so just above
        progress = 1 - (now - inv.sent_at).days / days  # 0 a year ago, 1 today
        switched = SWITCHED_DAYS_AGO.get(inv.team.slug)
        kind = (
            QuestionType.NPS
            if switched is not None and (now - given).days > switched
            else inv.team.question_type
        )
        score, band = _score(
            rng,
            promoter + trend * progress,
            max(0.02, detractor - trend * progress),
            scale_for(kind),
        )
        responses.append(
            Response(
                invitation=inv,
                team_id=inv.team_id,
                agent_id=inv.agent_id,
                score=score,
                question_type=kind,
                comment=rng.choice(COMMENTS[requester.language][band]),
                created_at=given,
                updated_at=given,
                **_slice_copy(inv),
            )
        )
    Response.objects.bulk_create(responses, batch_size=500)
    # bulk_create bypassed the services and their signals: scoring recounts its rollups.
    signals.bulk_loaded.send(Response)
    return {
        "created": True,
        "tickets": len(tickets),
        "responses": len(responses),
    }
