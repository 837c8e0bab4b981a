"""Everything ITPulse holds about one e-mail address, as querysets (reads only).

Access (export.py) and erasure (erasure.py) both start here, so that what a person is shown
is exactly what is removed. Unlinked answers (anonymous teams, retention, an earlier erasure)
are not found: nothing in them leads to an address, by design.
"""

from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.utils.html import escape

from campaigns.models import CampaignAnswer, CampaignInvitation
from delivery.models import DeliveryRule, SuppressedAddress, address_hash
from followups.models import CaseNote, FollowUpCase
from integrations.models import Delivery
from ratings.models import CustomerRating
from surveys.models import CapturedEmail, Invitation, LinkClick, Requester, Response, Ticket


def normalised(email: str) -> str:
    """The address as stored (lower-cased); ValidationError when it is not an address."""
    email = email.strip().lower()
    validate_email(email)
    return email


@dataclass(frozen=True)
class Holdings:
    email: str  # lower-cased

    @property
    def hash(self) -> str:
        return address_hash(self.email)

    @property
    def audit_target(self) -> str:
        """How the audit trail names the person: by hash, so that it outlives an erasure."""
        return f"sha256:{self.hash}"

    @property
    def requesters(self) -> QuerySet[Requester]:
        return Requester.objects.filter(email__iexact=self.email)

    @property
    def tickets(self) -> QuerySet[Ticket]:
        return Ticket.objects.filter(requester__in=self.requesters)

    @property
    def invitations(self) -> QuerySet[Invitation]:
        return Invitation.objects.filter(
            Q(requester__in=self.requesters) | Q(ticket__in=self.tickets)
        )

    @property
    def responses(self) -> QuerySet[Response]:
        return Response.objects.filter(invitation__in=self.invitations)

    @property
    def cases(self) -> QuerySet[FollowUpCase]:
        return FollowUpCase.objects.filter(response__in=self.responses)

    @property
    def case_notes(self) -> QuerySet[CaseNote]:
        return CaseNote.objects.filter(case__in=self.cases)

    @property
    def ratings(self) -> QuerySet[CustomerRating]:
        return CustomerRating.objects.filter(ticket__in=self.tickets)

    @property
    def clicks(self) -> QuerySet[LinkClick]:
        return LinkClick.objects.filter(invitation__in=self.invitations)

    @property
    def campaign_invitations(self) -> QuerySet[CampaignInvitation]:
        return CampaignInvitation.objects.filter(requester__in=self.requesters)

    @property
    def campaign_answers(self) -> QuerySet[CampaignAnswer]:
        return CampaignAnswer.objects.filter(invitation__in=self.campaign_invitations)

    @property
    def suppressions(self) -> QuerySet[SuppressedAddress]:
        """Bounces and complaints by address; an opt-out kept by hash is not the address."""
        return SuppressedAddress.objects.filter(email__iexact=self.email)

    @property
    def hash_suppressions(self) -> QuerySet[SuppressedAddress]:
        return SuppressedAddress.objects.filter(email_hash=self.hash)

    @property
    def sent_mail(self) -> QuerySet[CapturedEmail]:
        """Copies sent to or naming the address, and those quoting the person's comments (a
        team lead's digest or alert quotes them without the address)."""
        about = _mentions(self.email, "to", "subject", "text", "html")
        comments = self.responses.exclude(comment="").values_list("comment", flat=True)
        for comment in comments:
            about |= _quoting(comment)
        return CapturedEmail.objects.filter(about)

    @property
    def deliveries(self) -> QuerySet[Delivery]:
        return Delivery.objects.filter(Q(ticket__in=self.tickets) | Q(reason__icontains=self.email))

    @property
    def admin_history(self) -> QuerySet[LogEntry]:
        """Django admin's history of the person's rows, and any entry naming the address."""
        about = Q(_mentions(self.email, "object_repr", "change_message"))
        for queryset in self._rows():
            ids = [str(pk) for pk in queryset.values_list("pk", flat=True)]
            if ids:
                model_type = ContentType.objects.get_for_model(queryset.model)
                about |= Q(content_type=model_type, object_id__in=ids)
        return LogEntry.objects.filter(about)

    @property
    def rule_exclusions(self) -> list[DeliveryRule]:
        """Delivery rules that exclude the address: the administrator's configuration."""
        rules = DeliveryRule.objects.filter(excluded_addresses__icontains=self.email)
        return [rule for rule in rules.select_related("team") if self.email in rule.exclusions]

    def _rows(self) -> list[QuerySet]:
        return [
            self.requesters,
            self.tickets,
            self.invitations,
            self.responses,
            self.cases,
            self.case_notes,
            self.ratings,
            self.campaign_invitations,
            self.campaign_answers,
            self.suppressions,
        ]

    def is_empty(self) -> bool:
        """Nothing held: no row of the person and no copy or log entry naming the address."""
        if any(queryset.exists() for queryset in self._rows()):
            return False
        return not any(q.exists() for q in (self.sent_mail, self.deliveries, self.admin_history))


def _mentions(email: str, *fields: str) -> Q:
    query = Q()
    for field in fields:
        query |= Q(**{f"{field}__icontains": email})
    return query


# As much of a comment as every mail quotes: digests cut comments at 300 characters.
QUOTED = 60


def _quoting(comment: str) -> Q:
    """Mails quoting the comment as the templates do: after "] " (digests' "[score] comment")
    or ": " ("Comment: …", "ticket: comment"), as written or HTML-escaped. The quote mark keeps
    a short comment ("ok") from matching every mail that happens to hold those letters."""
    lines = comment.strip().splitlines()
    query = Q()
    if not lines:
        return query
    start = lines[0][:QUOTED]
    for text in {start, escape(start)}:
        for before in ("] ", ": "):
            query |= Q(text__contains=before + text) | Q(html__contains=before + text)
    return query


def holdings_for(email: str) -> Holdings:
    return Holdings(normalised(email))
