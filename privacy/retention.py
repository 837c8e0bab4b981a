"""Retention: what is older than its limit loses everything personal, in restartable batches.

ITPULSE_RETENTION_DAYS (default 730) for answers, tickets, surveys and people;
ITPULSE_MAIL_RETENTION_DAYS (default 30) for sent-mail copies, delivery logs and bounce reports;
ITPULSE_AUDIT_RETENTION_DAYS (default 365) for the audit trail. The scores,
teams, agents, days and reasons stay (privacy/unlinking.py), so past NPS, trends and rollups
do not change. Each kind is selected by what still needs doing, so an interrupted run simply
continues the next time; each batch is its own transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from audit.models import AuditEvent
from audit.services import audit_record
from campaigns.models import CampaignAnswer, CampaignInvitation
from delivery.models import Bounce
from followups.models import CaseNote
from integrations.models import Delivery
from ratings.models import CustomerRating
from surveys.models import CapturedEmail, Invitation, LinkClick, Requester, Response, Ticket

from . import unlinking
from .forgetting import requesters_forget
from .unlinking import CAMPAIGN_UNSENT, UNSENT

BATCH = 1000


@dataclass(frozen=True)
class Cutoffs:
    now: datetime
    personal: datetime  # answers, tickets, surveys, people, admin history
    mail: datetime  # sent-mail copies, connector deliveries, link clicks, bounce reports
    audit: datetime  # the audit trail itself

    @classmethod
    def at(cls, now: datetime) -> "Cutoffs":
        return cls(
            now=now,
            personal=now - timedelta(days=settings.ITPULSE_RETENTION_DAYS),
            mail=now - timedelta(days=settings.ITPULSE_MAIL_RETENTION_DAYS),
            audit=now - timedelta(days=settings.ITPULSE_AUDIT_RETENTION_DAYS),
        )


@dataclass(frozen=True)
class Kind:
    name: str
    rows: QuerySet  # what still needs doing
    apply: Callable[[QuerySet], int | dict[str, int]]


def _delete(queryset: QuerySet) -> int:
    _total, by_model = queryset.delete()
    return by_model.get(queryset.model._meta.label, 0)


def _invitation_older(cut: datetime) -> Q:
    """An invitation is as old as its ticket's closing (an imported ticket's survey is made
    today for a ticket closed long ago); once the ticket is gone, as old as its creation."""
    return Q(ticket__closed_at__lt=cut) | Q(ticket__isnull=True, created_at__lt=cut)


def _forgettable(cut: datetime) -> QuerySet[Requester]:
    """Requesters with nothing newer than the cutoff (their older rows are unlinked first)."""
    person = OuterRef("pk")
    newer = [
        Ticket.objects.filter(requester=person, closed_at__gte=cut),
        Invitation.objects.exclude(_invitation_older(cut)).filter(requester=person),
        Invitation.objects.filter(status__in=UNSENT, requester=person),
        CampaignInvitation.objects.filter(
            Q(campaign__launched_at__gte=cut) | Q(status__in=CAMPAIGN_UNSENT), requester=person
        ),
    ]
    return Requester.objects.exclude(Q(*(Exists(rows) for rows in newer), _connector=Q.OR))


def kinds(cutoffs: Cutoffs) -> list[Kind]:
    """Every kind of personal data retention removes, in the order it must go."""
    cut, day = cutoffs.personal, cutoffs.personal.date()
    old_answers = Response.objects.filter(created_at__lt=cut)
    campaign_texts = ~Q(answer_1="") | ~Q(answer_2="") | ~Q(answer_3="")
    return [
        Kind("comments", old_answers.exclude(comment=""), lambda rows: rows.update(comment="")),
        Kind(
            "answers unlinked",
            old_answers.filter(Q(invitation__isnull=False) | Q(link_key__isnull=False)),
            unlinking.responses_unlink,
        ),
        Kind("case notes", CaseNote.objects.filter(case__response__created_at__lt=cut), _delete),
        Kind(
            "tickets unlinked",
            Ticket.objects.filter(closed_at__lt=cut).filter(
                Q(requester__isnull=False) | ~Q(subject="")
            ),
            lambda rows: rows.update(requester=None, subject=""),
        ),
        Kind(
            "surveys unlinked",
            Invitation.objects.filter(_invitation_older(cut))
            .exclude(status__in=UNSENT)
            .filter(
                Q(requester__isnull=False)
                | Q(token_hash__isnull=False)
                | Q(reminder_token_hash__isnull=False)
            ),
            lambda rows: unlinking.invitations_unlink(rows, keep_ticket=True),
        ),
        Kind("customer ratings", CustomerRating.objects.filter(ticket__closed_at__lt=cut), _delete),
        Kind(
            "periodic answers unlinked",
            CampaignAnswer.objects.filter(answered_on__lt=day).filter(
                Q(invitation__isnull=False) | campaign_texts
            ),
            unlinking.campaign_answers_unlink,
        ),
        Kind(
            "periodic surveys unlinked",
            CampaignInvitation.objects.filter(campaign__launched_at__lt=cut)
            .exclude(status__in=CAMPAIGN_UNSENT)
            .filter(Q(requester__isnull=False) | Q(token_hash__isnull=False)),
            unlinking.campaign_invitations_unlink,
        ),
        Kind(
            "requesters",
            _forgettable(cut),
            lambda rows: requesters_forget(rows, now=cutoffs.now),
        ),
        Kind("admin history entries", LogEntry.objects.filter(action_time__lt=cut), _delete),
        Kind(
            "sent mail copies", CapturedEmail.objects.filter(created_at__lt=cutoffs.mail), _delete
        ),
        Kind(
            "connector deliveries",
            Delivery.objects.filter(received_at__lt=cutoffs.mail),
            _delete,
        ),
        Kind("link clicks", LinkClick.objects.filter(clicked_at__lt=cutoffs.mail), _delete),
        Kind("bounce reports", Bounce.objects.filter(received_at__lt=cutoffs.mail), _delete),
        Kind("audit events", AuditEvent.objects.filter(when__lt=cutoffs.audit), _delete),
    ]


def _run(kind: Kind) -> dict[str, int]:
    """Apply one kind in batches of ids, each its own transaction; ids only move forward, so a
    row that cannot be changed is never picked again and the loop always ends."""
    counts: dict[str, int] = {}
    last = 0
    while True:
        ids = list(
            kind.rows.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            return counts
        with transaction.atomic():
            done = kind.apply(kind.rows.model.objects.filter(pk__in=ids))
        for name, count in (done if isinstance(done, dict) else {kind.name: done}).items():
            counts[name] = counts.get(name, 0) + count
        last = ids[-1]


def retention_apply(
    *, now: datetime, dry_run: bool = False, actor_label: str = ""
) -> dict[str, int]:
    """Apply retention (or, with dry_run, count what it would remove). Returns counts per kind."""
    cutoffs = Cutoffs.at(now)
    if dry_run:
        return {kind.name: kind.rows.count() for kind in kinds(cutoffs)}
    counts: dict[str, int] = {}
    for kind in kinds(cutoffs):
        counts.update(_run(kind) or {kind.name: 0})
    if any(counts.values()):
        audit_record(
            action=AuditEvent.Action.RETENTION_APPLIED, actor_label=actor_label, details=counts
        )
    return counts
