"""Anonymous mode: who gave an answer, as far as any page may show it.

Answers given while a team is anonymous are stored unlinked (surveys/unlinked.py): nothing
leads from them to a person. Answers given while it was named keep their invitation, but are
not shown with a person either once the team is anonymous. Dashboards, comment lists and CSV
exports call these helpers instead of following `response.invitation.requester` themselves, so
no page can forget the rule. Alerts, digests, follow-ups and every export ask here too.
"""

from datetime import datetime

from .models import Invitation, Requester, Response, Team, Ticket


def team_identifies(team: Team) -> bool:
    """Whether the team's answers may be shown with who gave them at all: not while it is
    anonymous (issue 6), whatever was stored before."""
    return not team.anonymous


def identified(response: Response) -> bool:
    """Whether anything may tell who gave this answer (requester, ticket, a call-back): not
    when its team is anonymous, nor once it is unlinked (given anonymously, or by retention or
    an erasure)."""
    return team_identifies(response.team) and response.invitation_id is not None


def shown_requester(response: Response) -> Requester | None:
    """Who gave this answer, or None when it is unlinked or its team is anonymous."""
    if not identified(response) or response.invitation is None:
        return None
    return response.invitation.requester  # None too once retention unlinked the invitation


def shown_ticket(response: Response) -> Ticket | None:
    """The ticket behind the answer, or None when it would identify the requester."""
    if not identified(response) or response.invitation is None:
        return None
    return response.invitation.ticket


def shown_ticket_ref(response: Response) -> str:
    """The ticket's id in its helpdesk, or "" when it would identify the requester."""
    ticket = shown_ticket(response)
    return ticket.external_id if ticket is not None else ""


def shown_status(invitation: Invitation, now: datetime) -> str:
    """An invitation's status as a page or the API may tell it, per ticket.

    An anonymous answer's invitation keeps that it was answered (for the response rate), but
    does not say so next to its ticket: beside the days of the team's comments, "SD-4711:
    answered" would tell whose comment is whose. It reads as an unanswered one would: sent
    while its link is valid, expired after (also for an anonymous team's unanswered ones, which
    the expiry task moves only every few minutes)."""
    Status = Invitation.Status
    anonymous_answer = invitation.status == Status.ANSWERED and invitation.answered_at is None
    waiting = invitation.status == Status.SENT and invitation.team.anonymous
    if anonymous_answer or waiting:
        return Status.EXPIRED if invitation.is_expired(now) else Status.SENT
    return invitation.status
