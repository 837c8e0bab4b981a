"""A webhook call from a helpdesk, from signature to stored ticket, with its delivery logged.

Nothing is written for a call that fails its signature or its validation, except the line in
the connector's delivery log that says why (the payload itself is never kept). Calls that fail
their signature share one counted line per reason, and are rate-limited per address before
even that (api/hooks.py).
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from surveys import closing, slices, sql
from surveys.anonymity import shown_status
from surveys.models import Team, Ticket
from surveys.tickets import validate

from .models import Connector, Delivery
from .paths import MISSING, as_text, resolve
from .presets import FIELDS, PRIORITY_NUMBERS
from .signatures import SignatureError, verify

# Headers in which tools name a delivery, so that a retry of it is recognised.
DELIVERY_HEADERS = (
    "X-Zendesk-Webhook-Invocation-Id",
    "X-Atlassian-Webhook-Identifier",
    "X-ITPulse-Delivery",
    "Idempotency-Key",
)
# What a payload maps onto a ticket; the team is read on its own, through the team mapping.
TICKET_FIELDS = tuple(key for key in FIELDS if key != "team")


@dataclass
class Outcome:
    status: int
    body: dict
    outcome: str = Delivery.Outcome.ACCEPTED
    reason: str = ""
    event: str = ""
    external_id: str = ""
    delivery_id: str = ""
    ticket: Ticket | None = None
    extra: dict = field(default_factory=dict)


def refused(status: int, errors: dict, **kwargs) -> Outcome:
    reason = "; ".join(f"{key}: {' '.join(messages)}" for key, messages in errors.items())
    return Outcome(
        status, {"errors": errors}, outcome=Delivery.Outcome.REFUSED, reason=reason, **kwargs
    )


def event_of(connector: Connector, payload: dict) -> tuple[str, str]:
    """(our event, the tool's value that decided it); ("", value) when no rule matches."""
    seen = ""
    for rule in connector.events or [{"default": "closed"}]:
        if "default" in rule:
            return rule["default"], ""
        value = resolve(payload, rule.get("path", ""))
        if value is MISSING:
            continue
        text = as_text(value).lower()
        seen = seen or text
        if text in rule.get("values", {}):
            return rule["values"][text], text
    return "", seen


def team_for(connector: Connector, native: str, teams: dict[str, Team]) -> Team | None:
    slug = connector.team_map.get(native) if native else None
    if slug is None and native in teams:
        slug = native
    if slug in teams:
        return teams[slug]
    return connector.default_team


def teams_named(connector: Connector, native: str) -> dict[str, Team]:
    """The teams a call can resolve to (team_for): the mapped slug and the native value itself,
    by slug; the default team comes with the connector. One short read rather than every team
    on every call (at 100 teams that was 100 rows built per webhook); every team is read only
    for the error that lists them."""
    slugs = {native, connector.team_map.get(native) if native else None}
    wanted = [slug for slug in slugs if slug and "\x00" not in slug]  # PostgreSQL refuses NUL
    if not wanted:
        return {}
    # Through surveys.sql, as POST tickets/closed reads its team (api/tickets.py: teams_for).
    return {team.slug: team for team in sql.select(Team, *sql.is_in("slug", wanted))}


def team_problem(connector: Connector, native: str, teams: dict[str, Team]) -> str:
    pairs = ", ".join(f"{k} → {v}" for k, v in sorted(connector.team_map.items())) or "—"
    return _(
        "No team for %(value)s (read from %(path)s). Mapping: %(pairs)s. Default team: "
        "%(default)s. Known teams: %(known)s."
    ) % {
        "value": repr(native),
        "path": connector.mapping.get("team") or "—",
        "pairs": pairs,
        "default": connector.default_team.slug if connector.default_team else "—",
        "known": ", ".join(sorted(teams)) or "—",
    }


def _fields(connector: Connector, payload: dict) -> dict[str, str]:
    mapping = connector.mapping
    return {key: as_text(resolve(payload, mapping.get(key, ""))) for key in TICKET_FIELDS}


def _public(connector: Connector, errors: dict) -> dict:
    """Name each problem by the payload path it was read from: that is what the admin fixes."""
    named = {}
    for key, messages in errors.items():
        path = connector.mapping.get(key)
        named[f"{key} ({path})" if path else key] = messages
    return named


def _duplicate(connector: Connector, delivery_id: str, external_id: str, event: str) -> bool:
    """Whether this call repeats one acted on already. Every webhook asks, so through
    surveys.sql (the ORM's query building cost more CPU than the read)."""
    accepted = "connector_id = %s AND outcome = %s"
    params: list = [connector.pk, Delivery.Outcome.ACCEPTED]
    if delivery_id:
        found = sql.select(
            Delivery,
            f"{accepted} AND delivery_id = %s",
            [*params, delivery_id],
            suffix="LIMIT 1",
            only=("event",),
        )
        return bool(found)
    # Without an id, a retry is the same event for the same ticket as the last one acted on.
    last = sql.select(
        Delivery,
        f"{accepted} AND external_id = %s",
        [*params, external_id],
        suffix="ORDER BY id DESC LIMIT 1",
        only=("event",),
    )
    return bool(last) and last[0].event == event


def _apply(connector, event, fields, native_team, teams, now, test) -> Outcome:
    source, external_id = connector.source, fields["external_id"]
    team = None
    if event in ("closed", "reassigned"):
        team = team_for(connector, native_team, teams)
        if team is None:
            every = {team.slug: team for team in Team.objects.all()}
            return refused(400, {"team": [team_problem(connector, native_team, every)]})
        if event == "closed":
            return _close(connector, fields, team, teams, now, test)
    if test:
        return Outcome(200, {"result": "test"}, outcome=Delivery.Outcome.TEST)
    if event == "reopened":
        changed = closing.ticket_reopen(source=source, external_id=external_id)
    elif event == "reassigned" and team is not None:  # (it is: resolved above)
        changed = closing.ticket_reassign(
            source=source,
            external_id=external_id,
            team=team,
            agent_email=fields["agent_email"],
            agent_name=fields["agent_name"],
        )
    else:
        changed = closing.ticket_cancel(source=source, external_id=external_id, why=event)
    reason = "" if changed else _("No survey waiting to be sent for this ticket; nothing changed.")
    return Outcome(200, {"result": "changed" if changed else "unchanged"}, reason=reason)


def _close(
    connector: Connector,
    fields: dict,
    team: Team,
    teams: dict[str, Team],
    now: datetime,
    test: bool,
) -> Outcome:
    source, external_id = connector.source, fields["external_id"]
    fields = {**fields, "source": source, "team": team.slug}
    fields["closed_at"] = fields["closed_at"] or now.isoformat()
    # A label we cannot read (a tool's own priority scheme) leaves the slice unknown rather
    # than refusing the ticket: its survey matters more than its priority.
    fields["priority"] = slices.known_or_empty(
        "priority", fields["priority"], PRIORITY_NUMBERS.get(connector.kind)
    )
    fields["channel"] = slices.known_or_empty("channel", fields["channel"])
    fields["category"] = slices.category(fields["category"])[: slices.CATEGORY_LENGTH]
    item, problems = validate(fields, {**teams, team.slug: team}, now)  # (the default team too)
    if item is None:
        return refused(400, _public(connector, problems))
    if test:
        return Outcome(
            200,
            {"result": "test", "ticket": {"external_id": external_id, "team": team.slug}},
            outcome=Delivery.Outcome.TEST,
            reason=_("Test event: the ticket would be registered for team %(team)s.")
            % {"team": team.slug},
        )
    [result] = closing.tickets_close(items=[item], now=now, savepoint=False)
    invitation = result.ticket.invitation
    body = {
        "result": "created" if result.created else "existing",
        "ticket": {"source": source, "external_id": external_id, "team": team.slug},
        # An anonymous answer is not told per ticket (surveys/anonymity.py).
        "invitation": {"status": shown_status(invitation, now), "reason": invitation.reason},
    }
    return Outcome(201 if result.created else 200, body, ticket=result.ticket)


# A refused call that was signed comes from the tool itself (a payload it cannot map): each is
# logged, and only the latest are kept, so that a tool gone wrong cannot fill the database.
REFUSED_KEPT = 200


def _prune_refused(connector: Connector) -> None:
    refused = Delivery.objects.filter(connector=connector, outcome=Delivery.Outcome.REFUSED)
    older = refused.exclude(status_code=401).order_by("-id").values("id")[REFUSED_KEPT:]
    refused.filter(id__in=older).delete()


def unauthenticated_count(*, connector: Connector, reason: str, now: datetime) -> Delivery:
    """Log a call that failed its signature: one row per reason, counted, with the latest time.

    Such calls need no secret, so anyone may send them; as rows of their own they would push
    the tool's real deliveries out of the log. Reasons are a handful of fixed messages.
    """
    reason = reason[:500]
    same = Delivery.objects.filter(
        connector=connector, outcome=Delivery.Outcome.REFUSED, status_code=401, reason=reason
    )
    for _attempt in range(2):
        if same.update(calls=F("calls") + 1, received_at=now):
            return same.get()
        try:
            with transaction.atomic():
                return Delivery.objects.create(
                    connector=connector,
                    outcome=Delivery.Outcome.REFUSED,
                    status_code=401,
                    reason=reason,
                    received_at=now,
                )
        except IntegrityError:  # a simultaneous call made the row first: count on it
            continue
    raise RuntimeError("unreachable: the row exists after an IntegrityError")


def _log(connector: Connector, outcome: Outcome, now: datetime) -> Delivery:
    if outcome.status == 401:
        return unauthenticated_count(connector=connector, reason=outcome.reason, now=now)
    # Inserted through surveys.sql, as tickets and invitations are (every webhook logs one).
    [delivery] = sql.insert(
        [
            Delivery(
                connector=connector,
                delivery_id=outcome.delivery_id[:100],
                external_id=outcome.external_id[:100],
                event=outcome.event,
                outcome=outcome.outcome,
                status_code=outcome.status,
                reason=outcome.reason[:500],
                ticket=outcome.ticket,
                received_at=now,
            )
        ]
    )
    if outcome.outcome == Delivery.Outcome.REFUSED:
        _prune_refused(connector)
    return delivery


def signature_problem(connector: Connector, headers, body: bytes, now: datetime) -> str:
    """Why the call is not signed by the connector's secret; "" when it is."""
    try:
        verify(connector, headers, body, now)
    except SignatureError as exc:
        return str(exc)
    return ""


def receive(
    *,
    connector: Connector,
    headers,
    body: bytes,
    now: datetime,
    test: bool = False,
    verified: bool = False,
) -> Outcome:
    """Check, map and apply one webhook call; log it as a Delivery. Returns what to answer.

    `verified`: the caller has checked the signature already (signature_problem).
    """
    outcome = _receive(connector, headers, body, now, test, verified)
    if "delivery" not in outcome.extra:
        outcome.extra["delivery"] = _log(connector, outcome, now)
    return outcome


class _Known(TypedDict):
    """What every outcome of a call names, once read from the payload and headers."""

    event: str
    external_id: str
    delivery_id: str


def _duplicate_outcome(known: _Known) -> Outcome:
    return Outcome(
        200,
        {"result": "duplicate"},
        outcome=Delivery.Outcome.DUPLICATE,
        reason=_("Already received; a retry changes nothing."),
        **known,
    )


def unsigned(problem: str) -> Outcome:
    return refused(401, {"signature": [problem]})


def refuse_unsigned(*, connector: Connector, problem: str, now: datetime) -> Outcome:
    """The 401 for a call that failed its signature (signature_problem), counted in the log."""
    outcome = unsigned(problem)
    outcome.extra["delivery"] = _log(connector, outcome, now)
    return outcome


def _receive(connector, headers, body, now, test, verified) -> Outcome:
    if not verified and (problem := signature_problem(connector, headers, body, now)):
        return unsigned(problem)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return refused(400, {"body": [_("The body is not valid JSON.")]})
    except RecursionError:  # the decoder's own limit (~1,000 levels); no payload nests that deep
        return refused(400, {"body": [_("The body's JSON is nested too deeply.")]})
    if not isinstance(payload, dict):
        return refused(400, {"body": [_("The body must be a JSON object.")]})
    event, native_event = event_of(connector, payload)
    external_id = as_text(resolve(payload, connector.mapping.get("external_id", "")))
    delivery_id = next((headers[h] for h in DELIVERY_HEADERS if headers.get(h)), "")
    known: _Known = {"event": event, "external_id": external_id, "delivery_id": delivery_id}
    if not event:
        reason = _("No event rule matches (the tool said %(value)s); nothing to do.") % {
            "value": repr(native_event)
        }
        return Outcome(
            202, {"result": "ignored", "reason": reason}, outcome="ignored", reason=reason, **known
        )
    if not external_id:
        path = connector.mapping.get("external_id") or "—"
        result = refused(400, {f"external_id ({path})": [_("This field is required.")]})
        result.event = event
        return result
    if not test and _duplicate(connector, delivery_id, external_id, event):
        return _duplicate_outcome(known)
    fields = _fields(connector, payload)
    native_team = as_text(resolve(payload, connector.mapping.get("team", "")))
    teams = teams_named(connector, native_team)
    try:
        with transaction.atomic():
            result = _apply(connector, event, fields, native_team, teams, now, test)
            for key, value in known.items():
                setattr(result, key, value)
            # Logged in the same transaction as the ticket: of two simultaneous retries with
            # one delivery id, the unique constraint lets only one commit.
            result.extra["delivery"] = _log(connector, result, now)
    except IntegrityError:
        return _duplicate_outcome(known)
    return result
