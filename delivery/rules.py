"""Planning: given a closed ticket, is a survey sent, and when? Every "no" has a reason."""

import re
import zoneinfo
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef
from django.db.models.functions import SHA256, Lower
from django.utils.crypto import salted_hmac

from surveys import sql
from surveys.models import Agent, Invitation, Requester, Team, Ticket

from .models import DeliveryRule, SuppressedAddress, address_hash

# Reasons are stored on the invitation as plain words (staff page, API); keep them stable.
REQUESTER_IS_AGENT = "requester is the agent"
OPTED_OUT = "opted out"
SERVICE_ACCOUNT = "service account"
NOT_SAMPLED = "not sampled"
THROTTLED = "throttled"


def too_old_reason(ticket: Ticket, now: datetime) -> str:
    """Why the ticket is not surveyed at all, however the rules read: it closed more than
    ITPULSE_MAX_TICKET_AGE_DAYS before it reached ITPulse (an export of last year, a back-fill).
    "" when it is recent enough, or when there is no limit (0)."""
    days = settings.ITPULSE_MAX_TICKET_AGE_DAYS
    if days and ticket.closed_at < now - timedelta(days=days):
        return f"closed more than {days} days before it was received"
    return ""


def rule_for(team: Team) -> DeliveryRule:
    """The team's rule, else the organisation default, else the built-in defaults."""
    rules = {rule.team_id: rule for rule in _rules([team.pk])}
    return rules.get(team.pk) or rules.get(None) or DeliveryRule()


def _rules(team_ids: list[int]) -> list[DeliveryRule]:
    """The rules of these teams and the organisation's (ingest's hot path: see surveys.sql).

    ORM 876 µs, this 128 µs per close (PostgreSQL; SQLite 453 against 50), bench/sql_vs_orm.py
    on 2026-12-04.
    """
    where, params = sql.is_in("team_id", team_ids)
    return sql.select(DeliveryRule, f"{where} OR team_id IS NULL", params)


def requester_zone(requester: Requester) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(requester.time_zone or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def is_sampled(ticket: Ticket, percent: int) -> bool:
    """A fair, reproducible draw: the same ticket always gets the same answer."""
    if percent >= 100:
        return True
    digest = salted_hmac(
        "itpulse.delivery.sample", f"{ticket.source}:{ticket.external_id}", algorithm="sha256"
    )
    return int.from_bytes(digest.digest()[:8], "big") % 100 < percent


def is_service_account(email: str) -> bool:
    local = email.partition("@")[0]
    return re.fullmatch(settings.ITPULSE_SERVICE_ACCOUNTS, local, re.IGNORECASE) is not None


class _AddressHash(SHA256):
    """address_hash() in SQL. On PostgreSQL its built-in sha256(), where Django's SHA256 needs
    the pgcrypto extension."""

    def __init__(self, field: str):
        super().__init__(Lower(OuterRef(field)))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "ENCODE(SHA256(CONVERT_TO(%(expressions)s, 'UTF8')), 'hex')"
        return self.as_sql(compiler, connection, template=template, function=None, **extra)


def opted_out_by_hash(email_field: str = "email") -> Exists:
    """For a query of people: whose address is suppressed by its hash only (they opted out and
    were erased since), so that a new row for the same address is still never surveyed."""
    return Exists(SuppressedAddress.objects.filter(email_hash=_AddressHash(email_field)))


def suppression_reason(
    rule: DeliveryRule,
    ticket: Ticket,
    requester: Requester,
    agent: Agent | None,
    *,
    suppressed: dict[str, str],
) -> str:
    """Why no survey goes out for this ticket, or "" (the throttle is the Planner's)."""
    email = requester.email.lower()
    if agent is not None and agent.email.lower() == email:
        return REQUESTER_IS_AGENT
    if requester.is_opted_out:
        return OPTED_OUT
    if email in suppressed:
        return suppressed[email]
    if excluded := rule.is_excluded(email):
        return excluded
    if rule.exclude_service_accounts and is_service_account(email):
        return SERVICE_ACCOUNT
    if not is_sampled(ticket, rule.sample_percent):
        return NOT_SAMPLED
    return ""


class Planner:
    """Plans the invitations of one transaction; a batch of tickets reads each rule once.

    It remembers whom it planned for, so two tickets of one requester in the same batch
    cannot both pass the throttle (ticket_close also locks the requester row for that).
    """

    def __init__(self, now: datetime):
        self.now = now
        self._rules: dict = {}
        self._suppressed: dict[str, str] = {}
        self._last_survey: dict[int, datetime] = {}

    def rule(self, team: Team) -> DeliveryRule:
        if team.pk not in self._rules:
            self._rules[team.pk] = rule_for(team)
        return self._rules[team.pk]

    def load_rules(self, teams: Iterable[Team]) -> None:
        """Read the rules of many teams in one query (a helpdesk batch spans several)."""
        new = {team.pk: team for team in teams if team.pk not in self._rules}
        if not new:
            return
        found = {rule.team_id: rule for rule in _rules(list(new))}
        default = found.get(None) or DeliveryRule()
        for pk in new:
            self._rules[pk] = found.get(pk) or default

    def prepare(self, requesters: Iterable[Requester]) -> None:
        """Read, for all requesters of the batch at once, what suppression and throttling need.

        Two reads through surveys.sql. Suppressed addresses: ORM 738 µs, this 96 µs for one
        requester, 10.5 ms against 6.0 ms for 1,000; recent surveys: ORM 1,116 µs, this 218 µs,
        8.8 ms against 4.3 ms for 1,000 (PostgreSQL, bench/sql_vs_orm.py on 2026-12-04).
        """
        by_email = {r.email.lower(): r for r in requesters}
        by_hash = {address_hash(email): email for email in by_email}
        emails, email_params = sql.is_in("email", by_email)
        hashes, hash_params = sql.is_in("email_hash", by_hash)
        suppressed = sql.select(
            SuppressedAddress, f"{emails} OR {hashes}", [*email_params, *hash_params]
        )
        for address in suppressed:
            if address.email is not None:
                self._suppressed[address.email] = address.reason
            else:
                # Known by its hash only: a person who opted out, then was erased or expired.
                self._suppressed[by_hash[address.email_hash]] = OPTED_OUT
        longest = max((rule.throttle_days for rule in self._rules.values()), default=0)
        if not longest:
            return
        where, ids = sql.is_in("requester_id", (r.pk for r in by_email.values()))
        since = connection.ops.adapt_datetimefield_value(self.now - timedelta(days=longest))
        recent = sql.select(
            Invitation,
            f"{where} AND (sent_at > %s OR status IN (%s, %s))",
            [*ids, since, Invitation.Status.PLANNED, Invitation.Status.SENDING],
            only=("requester", "sent_at"),
        )
        for invitation in recent:
            requester_id, sent_at = invitation.requester_id, invitation.sent_at
            last = sent_at or self.now  # planned or sending: as good as now
            self._last_survey[requester_id] = max(last, self._last_survey.get(requester_id, last))

    def plan(
        self, *, ticket: Ticket, requester: Requester, team: Team, agent: Agent | None
    ) -> Invitation:
        """The (unsaved) invitation for a closed ticket: planned with a send time, or suppressed.

        Call `rule()` for every team and `prepare()` for every requester of the batch first.
        """
        rule, now = self.rule(team), self.now
        invitation = Invitation(
            ticket=ticket,
            requester=requester,
            team=team,
            agent=agent,
            send_after=now,
            link_valid_days=rule.link_valid_days,
            remind_after_days=rule.reminder_after_days,
        )
        if too_old := too_old_reason(ticket, now):
            # Before the other reasons: an old ticket is not a person's choice or the sample's,
            # and it must not count against the requester's throttle either.
            invitation.status, invitation.reason = Invitation.Status.TOO_OLD, too_old
            return invitation
        reason = suppression_reason(rule, ticket, requester, agent, suppressed=self._suppressed)
        last = self._last_survey.get(requester.pk)
        if (
            not reason
            and rule.throttle_days
            and last
            and last > now - timedelta(rule.throttle_days)
        ):
            reason = THROTTLED
        if reason:
            invitation.status = Invitation.Status.SUPPRESSED
            invitation.reason = reason
            return invitation
        self._last_survey[requester.pk] = now
        due = max(now, ticket.closed_at + timedelta(minutes=rule.send_delay_minutes))
        invitation.send_after = rule.in_office_hours(due, requester_zone(requester))
        return invitation


def plan_invitation(
    *, ticket: Ticket, requester: Requester, team: Team, agent: Agent | None, now: datetime
) -> Invitation:
    """One ticket's invitation (see Planner.plan); the caller holds a lock on the requester."""
    planner = Planner(now)
    planner.rule(team)
    planner.prepare([requester])
    return planner.plan(ticket=ticket, requester=requester, team=team, agent=agent)
