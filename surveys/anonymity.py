"""Anonymous mode: a team can choose to see its answers without who gave them.

Every invitation still takes one answer (the link token is per invitation); only the reading
side forgets the person. Dashboards, comment lists and CSV exports call these helpers instead of
following `response.invitation.requester` themselves, so no page can forget the rule.
"""

from django.db.models import QuerySet

from .models import Requester, Response


def shown_requester(response: Response) -> Requester | None:
    """Who gave this answer, or None when the answer's team is anonymous."""
    if response.team.anonymous:
        return None
    return response.invitation.requester


def shown_ticket_ref(response: Response) -> str:
    """The ticket behind the answer, or "" when it would identify the requester."""
    if response.team.anonymous:
        return ""
    return response.invitation.ticket.external_id


def responses_for_display(responses: QuerySet[Response]) -> list[Response]:
    """Responses with `.requester_shown` and `.ticket_shown` set, honouring anonymous teams."""
    rows = list(
        responses.select_related("team", "invitation__requester", "invitation__ticket", "agent")
    )
    for response in rows:
        response.requester_shown = shown_requester(response)
        response.ticket_shown = shown_ticket_ref(response)
    return rows


def export_identity(response: Response) -> dict[str, str]:
    """The identity columns of a CSV export row: empty for anonymous teams."""
    requester = shown_requester(response)
    return {
        "requester_email": requester.email if requester else "",
        "requester_name": requester.name if requester else "",
        "ticket": shown_ticket_ref(response),
    }
