"""How each helpdesk's REST API takes an internal note on a ticket: the documented call per tool.

Every call goes through delivery.outbound (no loopback or private address unless
ITPULSE_OUTGOING_ALLOW_PRIVATE, no redirect followed). Credentials travel in headers only, never
in a URL, and no failure reason quotes them. The note's text is the requester's: each tool gets
it in the form it cannot read as markup (escaped HTML, a Jira {noformat} block, a ServiceNow
journal entry without [code]).

- Zendesk: PUT /api/v2/tickets/{id}.json with {"ticket": {"comment": {"body", "public": false}}}
  (https://developer.zendesk.com/api-reference/ticketing/tickets/tickets/#update-ticket), basic
  authentication "{email}/token:{api token}"
  (https://developer.zendesk.com/api-reference/introduction/security-and-auth/).
- Jira Service Management: POST /rest/servicedeskapi/request/{key}/comment with {"body",
  "public": false}
  (https://developer.atlassian.com/cloud/jira/service-desk/rest/api-group-request/#api-rest-servicedeskapi-request-issueidorkey-comment-post),
  basic "{email}:{api token}" (Cloud) or, without a user, a bearer personal access token (Data
  Center).
- GLPI: GET /apirest.php/initSession (Authorization: user_token …, App-Token), POST
  /apirest.php/Ticket/{id}/ITILFollowup with {"input": {"itemtype": "Ticket", "items_id",
  "content", "is_private": 1}}, GET /apirest.php/killSession
  (https://github.com/glpi-project/glpi/blob/main/apirest.md).
- Freshservice: POST /api/v2/tickets/{id}/notes with {"body", "private": true}, basic "{api
  key}:X" (https://api.freshservice.com/#create_a_note).
- ServiceNow: GET /api/now/table/incident?sysparm_query=number={number} for the sys_id, then
  PATCH /api/now/table/incident/{sys_id} with {"work_notes"}, basic "{user}:{password}"
  (https://www.servicenow.com/docs/bundle/zurich-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html).
- TOPdesk: PATCH /tas/api/incidents/number/{number} with {"action", "actionInvisibleForCaller":
  true}, basic "{login name}:{application password}"
  (https://developers.topdesk.com/explorer/?page=incident#/incident/patchIncidentByNumber).
"""

import base64
import contextlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from delivery import outbound
from delivery.outbound import Reply


class NoteRefused(ValueError):
    """The tool refused the note for good (a 4xx other than 408/429: a wrong token, no such
    ticket): retrying the same call cannot change that, so the engine fails the row at once."""


@dataclass(frozen=True)
class Note:
    """One internal note to write: where, as whom, on which ticket, what."""

    tool: str  # Connector.Kind
    base_url: str
    user: str
    token: str
    ticket: str  # the ticket's id in the tool (Ticket.external_id)
    text: str  # plain text, lines separated by "\n"


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def _json(extra: dict[str, str]) -> dict[str, str]:
    return {"Content-Type": "application/json", "Accept": "application/json", **extra}


def _checked(reply: Reply, tool: str) -> Reply:
    """The reply if it is a success; else OSError (try again later) for a busy or failing
    server, NoteRefused (give up) for anything the server will refuse again. The reason names
    the status only: a reply body could echo the credentials."""
    if reply.ok:
        return reply
    reason = f"{tool} answered {reply.status}"
    if reply.status in (408, 425, 429) or reply.status >= 500:
        raise OSError(reason)
    raise NoteRefused(reason)


def _send(tool: str, method: str, url: str, body: Any, headers: dict[str, str]) -> Reply:
    data = None if body is None else json.dumps(body).encode()
    return _checked(outbound.send(method, url, data, headers=headers), tool)


def _html(text: str) -> str:
    """For tools whose notes are HTML: the text escaped, its lines kept."""
    return "<br>".join(html.escape(line) for line in text.split("\n"))


def _digits(ticket: str) -> str:
    """A numeric id from a display id: Freshservice's {{ticket.id}} reads "INC-12" or "#SR-12"."""
    found = re.search(r"(\d+)$", ticket)
    if not found:
        raise NoteRefused("the ticket id has no number")
    return found.group(1)


def zendesk(note: Note) -> None:
    url = f"{note.base_url}/api/v2/tickets/{quote(note.ticket, safe='')}.json"
    body = {"ticket": {"comment": {"body": note.text, "public": False}}}
    auth = _basic(f"{note.user}/token", note.token)
    _send("zendesk", "PUT", url, body, _json({"Authorization": auth}))


def jira(note: Note) -> None:
    url = f"{note.base_url}/rest/servicedeskapi/request/{quote(note.ticket, safe='')}/comment"
    # Jira renders comments as wiki markup: the text in a {noformat} block shows as typed, and
    # no [~accountid:…] in it mentions anyone. The block's own delimiter cannot be in the text.
    text = note.text.replace("{noformat}", "{ noformat}")
    body = {"body": "{noformat}\n" + text + "\n{noformat}", "public": False}
    auth = _basic(note.user, note.token) if note.user else f"Bearer {note.token}"
    _send("jira", "POST", url, body, _json({"Authorization": auth}))


def glpi(note: Note) -> None:
    api = note.base_url.removesuffix("/apirest.php") + "/apirest.php"
    app = {"App-Token": note.user} if note.user else {}
    opened = _send(
        "glpi",
        "GET",
        f"{api}/initSession",
        None,
        _json({"Authorization": f"user_token {note.token}", **app}),
    )
    try:
        session = json.loads(opened.body)["session_token"]
    except (ValueError, KeyError, TypeError) as error:
        raise OSError("glpi gave no session token") from error
    headers = _json({"Session-Token": session, **app})
    try:
        ticket = _digits(note.ticket)
        body = {
            "input": {
                "itemtype": "Ticket",
                "items_id": int(ticket),
                "content": _html(note.text),
                "is_private": 1,
            }
        }
        _send("glpi", "POST", f"{api}/Ticket/{ticket}/ITILFollowup", body, headers)
    finally:
        # A session left open expires by itself; closing it is only tidy.
        with contextlib.suppress(OSError, ValueError):
            outbound.send("GET", f"{api}/killSession", None, headers=headers)


def freshservice(note: Note) -> None:
    url = f"{note.base_url}/api/v2/tickets/{_digits(note.ticket)}/notes"
    body = {"body": _html(note.text), "private": True}
    auth = _basic(note.token, "X")  # the API key is the user name; "X" any password
    _send("freshservice", "POST", url, body, _json({"Authorization": auth}))


def servicenow(note: Note) -> None:
    table = f"{note.base_url}/api/now/table/incident"
    headers = _json({"Authorization": _basic(note.user, note.token)})
    query = urlencode(
        {"sysparm_query": f"number={note.ticket}", "sysparm_fields": "sys_id", "sysparm_limit": 1}
    )
    found = _send("servicenow", "GET", f"{table}?{query}", None, headers)
    try:
        sys_id = json.loads(found.body)["result"][0]["sys_id"]
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise NoteRefused("servicenow has no incident with this number") from error
    # A journal field shows text between [code] tags as HTML: the tag is broken up.
    text = re.sub(r"\[(/?code)\]", r"[ \1]", note.text, flags=re.IGNORECASE)
    _send("servicenow", "PATCH", f"{table}/{quote(sys_id, safe='')}", {"work_notes": text}, headers)


def topdesk(note: Note) -> None:
    url = f"{note.base_url}/tas/api/incidents/number/{quote(note.ticket, safe='')}"
    body = {"action": _html(note.text), "actionInvisibleForCaller": True}
    auth = _basic(note.user, note.token)
    _send("topdesk", "PATCH", url, body, _json({"Authorization": auth}))


TOOLS: dict[str, Callable[[Note], None]] = {
    "zendesk": zendesk,
    "jira": jira,
    "glpi": glpi,
    "freshservice": freshservice,
    "servicenow": servicenow,
    "topdesk": topdesk,
}


def note_send(note: Note) -> None:
    """Write the note with its tool's call: the delivery engine's `post` for write-backs."""
    TOOLS[note.tool](note)
