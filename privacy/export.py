"""Access requests (GDPR article 15): everything held about an address, as JSON-ready data."""

import json
from typing import Any, Unpack

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import Actor, audit_record

from .holdings import Holdings, holdings_for

NOTE = (
    "Answers given while a team or periodic survey was anonymous, and answers unlinked by the "
    "retention period, are stored with no link to any person: they cannot be found by address "
    "and so are not listed here."
)

# What each kind shows, as values() lookups: the person's own data and what IT wrote about it,
# not the internal keys (token hashes) that are of no use to them.
FIELDS: dict[str, tuple[str, ...]] = {
    "requesters": (
        "id",
        "email",
        "name",
        "language",
        "language_chosen_at",
        "opted_out_at",
        "time_zone",
        "department",
    ),
    "tickets": (
        "id",
        "source",
        "external_id",
        "subject",
        "team__name",
        "agent__name",
        "closed_at",
        "created_at",
    ),
    "invitations": (
        "id",
        "ticket_id",
        "team__name",
        "agent__name",
        "status",
        "reason",
        "sent_at",
        "expires_at",
        "answered_at",
        "reminded_at",
        "created_at",
    ),
    "answers": (
        "id",
        "invitation_id",
        "team__name",
        "agent__name",
        "score",
        "comment",
        "created_at",
        "updated_at",
    ),
    "follow_up_cases": (
        "id",
        "response_id",
        "team__name",
        "status",
        "opening_score",
        "latest_score",
        "opened_at",
        "due_at",
        "followed_up_at",
    ),
    "follow_up_notes": ("case_id", "kind", "text", "old_value", "new_value", "created_at"),
    "customer_ratings": ("ticket_id", "team__name", "score", "department", "created_at"),
    "link_clicks": ("invitation_id", "clicked_at", "score", "client"),
    "periodic_survey_invitations": (
        "id",
        "campaign__name",
        "status",
        "sent_at",
        "expires_at",
        "answered",
        "answered_on",
    ),
    "periodic_survey_answers": (
        "invitation_id",
        "campaign__name",
        "score",
        "answer_1",
        "answer_2",
        "answer_3",
        "answered_on",
    ),
    "suppressions": ("reason", "detail", "created_at"),
    "sent_mail": ("to", "subject", "text", "created_at"),
    "connector_deliveries": (
        "connector__name",
        "delivery_id",
        "external_id",
        "event",
        "outcome",
        "status_code",
        "reason",
        "received_at",
    ),
    "admin_history": ("action_time", "action_flag", "object_repr", "change_message"),
}


def _querysets(held: Holdings) -> dict[str, QuerySet]:
    return {
        "requesters": held.requesters,
        "tickets": held.tickets,
        "invitations": held.invitations,
        "answers": held.responses,
        "follow_up_cases": held.cases,
        "follow_up_notes": held.case_notes,
        "customer_ratings": held.ratings,
        "link_clicks": held.clicks,
        "periodic_survey_invitations": held.campaign_invitations,
        "periodic_survey_answers": held.campaign_answers,
        "suppressions": held.suppressions,
        "sent_mail": held.sent_mail,
        "connector_deliveries": held.deliveries,
        "admin_history": held.admin_history,
    }


def person_data(held: Holdings) -> dict[str, Any]:
    data: dict[str, Any] = {"address": held.email, "exported_at": timezone.now(), "note": NOTE}
    for kind, queryset in _querysets(held).items():
        data[kind] = list(queryset.order_by("pk").values(*FIELDS[kind]))
    reasons = held.responses.values_list("pk", "reasons__slug").exclude(reasons=None)
    for answer in data["answers"]:
        answer["reasons"] = sorted(slug for pk, slug in reasons if pk == answer["id"])
    data["opt_outs"] = [
        {"opted_out_at": row["opted_out_at"]} for row in data["requesters"] if row["opted_out_at"]
    ]
    data["excluded_by_delivery_rules"] = [str(rule) for rule in held.rule_exclusions]
    return data


def person_export(*, email: str, **who: Unpack[Actor]) -> dict[str, Any]:
    """Everything held about `email` (a dict ready for `as_json`). Recorded in the audit trail
    with `who` (actor, actor_label, ip) and the address's hash only, so that a later erasure
    leaves no address behind."""
    held = holdings_for(email)
    data = person_data(held)
    found = {"found": not held.is_empty()}
    audit_record(
        action=AuditEvent.Action.PERSON_EXPORTED, target=held.audit_target, details=found, **who
    )
    return data


def as_json(data: Any) -> str:
    """ISO 8601 times (DjangoJSONEncoder), readable text (no escaped accents)."""
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
