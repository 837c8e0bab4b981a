"""POST /api/v1/tickets/<source>/<external_id>/events: what happened to a ticket after it closed
(reopened, reassigned, merged, deleted), for tools that send the plain API rather than their own
webhooks.

Each event calls the service a connector's event calls (surveys.closing), so that the rules
cannot drift apart: a conditional UPDATE of a survey not sent yet, which a repeat finds done and
changes nothing. A sent survey stays whatever happens to the ticket.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from surveys import closing
from surveys.models import ApiToken, Team, Ticket
from surveys.tickets import FUTURE_SLACK
from surveys.times import parse_time

from .http import api_token_required, errors, json_body
from .tickets import teams_for, ticket_payload

EVENTS = ("reopened", "reassigned", "merged", "deleted")
AGENT_LIMITS = {"email": 254, "name": 150}


def _agent(raw: object, problems: dict[str, list[str]]) -> dict[str, str]:
    """The agent object's email and name ({} when absent), noting what is wrong in `problems`."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems["agent"] = [_("Must be an object.")]
        return {}
    agent = {}
    for key, limit in AGENT_LIMITS.items():
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            problems[f"agent.{key}"] = [_("Must be a string.")]
        elif len(value.strip()) > limit:
            problems[f"agent.{key}"] = [_("At most %(limit)s characters.") % {"limit": limit}]
        elif "\x00" in value:
            problems[f"agent.{key}"] = [_("Null characters are not allowed.")]
        else:
            agent[key] = value.strip()
    if "agent.email" not in problems:
        try:
            validate_email(agent.get("email", ""))
        except ValidationError:
            problems["agent.email"] = [_("Enter a valid e-mail address.")]
    return agent


def _at(raw: object, now: datetime, problems: dict[str, list[str]]) -> datetime | None:
    if raw is None:
        return None
    at = parse_time(raw)
    if at is None:
        problems["at"] = [
            _("Use an ISO 8601 time (e.g. 2026-11-25T10:00:00Z) or Unix time in seconds.")
        ]
    elif at > now + FUTURE_SLACK:
        problems["at"] = [_("An event cannot happen in the future.")]
    return at


def _team(raw: object, problems: dict[str, list[str]]) -> Team | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        problems["team"] = [_("Must be a team's slug.")]
        return None
    teams = teams_for(raw.strip())
    if raw.strip() not in teams:
        problems["team"] = [
            _("Unknown team %(slug)s. Known teams: %(known)s.")
            % {"slug": raw.strip(), "known": ", ".join(sorted(teams)) or "—"}
        ]
        return None
    return teams[raw.strip()]


def _apply(event: str, ticket: Ticket, team: Team | None, agent: dict[str, str]) -> bool:
    key = {"source": ticket.source, "external_id": ticket.external_id}
    if event == "reopened":
        return closing.ticket_reopen(**key)
    if event == "reassigned":
        return closing.ticket_reassign(
            **key,
            team=team or ticket.team,
            agent_email=agent.get("email", ""),
            agent_name=agent.get("name", ""),
        )
    return closing.ticket_cancel(**key, why=event)


@api_token_required(ApiToken.Scope.TICKETS_WRITE)
@require_http_methods(["POST"])
def ticket_events(request: HttpRequest, source: str, external_id: str) -> HttpResponse:
    data = json_body(request)
    if isinstance(data, JsonResponse):  # why there is none
        return data
    now = timezone.now()
    problems: dict[str, list[str]] = {}
    event = data.get("event")
    if event not in EVENTS:  # (also what is no string)
        problems["event"] = [_("Use reopened, reassigned, merged or deleted.")]
    team = _team(data.get("team"), problems)
    agent = _agent(data.get("agent"), problems)
    at = _at(data.get("at"), now, problems)
    if event == "reassigned" and not problems and team is None and not agent:
        problems["team"] = [_("A reassignment names the new team, the new agent or both.")]
    if problems:
        return errors(400, problems)
    # (A NUL in the path, which PostgreSQL would refuse, never gets here: itpulse/badinput.py.)
    found = Ticket.objects.filter(source=source, external_id=external_id)
    ticket = found.select_related("team").first()
    if ticket is None:
        return errors(
            404,
            {
                "ticket": [
                    _(
                        "No ticket %(external_id)s from %(source)s: register it first "
                        "(POST %(url)s)."
                    )
                    % {
                        "external_id": external_id,
                        "source": source,
                        "url": "/api/v1/tickets/closed",
                    }
                ]
            },
        )
    if at is not None and at < ticket.closed_at:
        # Sent late (a queue, a retry): it happened before the close that planned the survey, so
        # the survey of that close stands.
        changed = False
        reason = _("The event happened before the ticket's last close: nothing changed.")
    else:
        changed = _apply(str(event), ticket, team, agent)
        reason = (
            "" if changed else _("No survey waiting to be sent for this ticket; nothing changed.")
        )
    ticket = Ticket.objects.select_related("team", "invitation__team").get(pk=ticket.pk)
    body = {"event": event, "result": "changed" if changed else "unchanged", "reason": reason}
    return JsonResponse({**body, **ticket_payload(ticket)})
