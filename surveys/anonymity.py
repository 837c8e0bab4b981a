"""Anonymous mode: who gave an answer, as far as any page may show it.

Answers given while a team is anonymous are stored unlinked (surveys/unlinked.py): nothing
leads from them to a person. Answers given while it was named keep their invitation, but are
not shown with a person either once the team is anonymous. Dashboards, comment lists and CSV
exports call these helpers instead of following `response.invitation.requester` themselves, so
no page can forget the rule.
"""

from django.db.models import QuerySet

from .models import Requester, Response


def shown_requester(response: Response) -> Requester | None:
    """Who gave this answer, or None when it is unlinked or its team is anonymous."""
    if response.team.anonymous or response.invitation is None:
        return None
    return response.invitation.requester  # None too once retention unlinked the invitation


def shown_ticket_ref(response: Response) -> str:
    """The ticket behind the answer, or "" when it would identify the requester."""
    if response.team.anonymous or response.invitation is None:
        return ""
    ticket = response.invitation.ticket
    return ticket.external_id if ticket is not None else ""


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
