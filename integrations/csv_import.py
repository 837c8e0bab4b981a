"""Closed tickets from a helpdesk's CSV export: read, check each row, import the valid ones.

Exports name their columns differently (Zendesk "Requester email", TOPdesk "Caller", Jira
"Issue key"), so each ITPulse field accepts the usual names; the team column may hold a team
slug or name, and an empty cell takes the default team chosen for the import.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from surveys import slices
from surveys.closing import tickets_close
from surveys.models import Team
from surveys.tickets import TicketIn, validate

ALIASES = {
    "source": ["source"],
    "external_id": [
        "external id",
        "id",
        "ticket id",
        "ticket",
        "number",
        "ticket number",
        "key",
        "issue key",
        "incident number",
        "nummer",
        "ticketnummer",
    ],
    "subject": [
        "subject",
        "summary",
        "title",
        "short description",
        "brief description",
        "onderwerp",
    ],
    "team": ["team", "group", "assignment group", "operator group", "queue", "groep"],
    "requester_email": [
        "requester email",
        "requester e-mail",
        "caller email",
        "reporter email",
        "email",
        "e-mail",
        "e-mail aanvrager",
    ],
    "requester_name": [
        "requester name",
        "requester",
        "caller",
        "caller name",
        "reporter",
        "naam aanvrager",
    ],
    "requester_language": ["requester language", "language", "locale", "taal"],
    "requester_time_zone": ["requester time zone", "time zone", "timezone", "tijdzone"],
    "requester_department": ["requester department", "department", "afdeling"],
    "agent_email": [
        "agent email",
        "agent e-mail",
        "assignee email",
        "assigned to email",
        "operator email",
    ],
    "category": ["category", "categorie", "type", "request type", "issue type", "soort"],
    "priority": ["priority", "prioriteit", "urgency", "urgentie"],
    "channel": ["channel", "source channel", "contact type", "entry type", "kanaal", "via"],
    "agent_name": ["agent name", "agent", "assignee", "assigned to", "operator", "behandelaar"],
    "closed_at": [
        "closed at",
        "closed",
        "closed date",
        "closedate",
        "resolved",
        "resolved at",
        "resolution date",
        "solved at",
        "solvedate",
        "gesloten op",
    ],
}
# Each field in the words of the person importing (the preview and its messages), not its
# internal name: "Requester e-mail", not "requester_email".
LABELS = {
    "source": gettext_lazy("Source"),
    "external_id": gettext_lazy("Ticket id"),
    "subject": gettext_lazy("Subject"),
    "team": gettext_lazy("Team"),
    "requester_email": gettext_lazy("Requester e-mail"),
    "requester_name": gettext_lazy("Requester name"),
    "requester_language": gettext_lazy("Requester language"),
    "requester_time_zone": gettext_lazy("Requester time zone"),
    "requester_department": gettext_lazy("Requester department"),
    "agent_email": gettext_lazy("Agent e-mail"),
    "agent_name": gettext_lazy("Agent name"),
    "closed_at": gettext_lazy("Closed at"),
    "category": gettext_lazy("Category"),
    "priority": gettext_lazy("Priority"),
    "channel": gettext_lazy("Channel"),
}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000


def _norm(header: str) -> str:
    return re.sub(r"[\s_]+", " ", header.strip().lower())


@dataclass
class Row:
    line: int
    values: dict
    ticket: TicketIn | None = None
    errors: dict = field(default_factory=dict)

    @property
    def labelled_errors(self) -> list[tuple[str, list[str]]]:
        """The row's problems, each under its field's label (LABELS)."""
        return [(str(LABELS.get(key, key)), problems) for key, problems in self.errors.items()]


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problem: str = ""  # a reason the whole file cannot be read

    @property
    def valid(self) -> list[Row]:
        return [row for row in self.rows if row.ticket]

    @property
    def invalid(self) -> list[Row]:
        return [row for row in self.rows if not row.ticket]


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # Excel on Windows


def _columns(headers: list[str]) -> dict[str, int]:
    found = {}
    for index, header in enumerate(headers):
        name = _norm(header)
        for key, names in ALIASES.items():
            if key not in found and (name == key.replace("_", " ") or name in names):
                found[key] = index
    return found


def parse(text: str, *, source: str, default_team: Team | None, now=None) -> Parsed:
    try:
        return _parse(text, source=source, default_team=default_team, now=now)
    except csv.Error as exc:  # e.g. a cell over the csv module's 128 KB field limit
        return Parsed(problem=_("The file cannot be read as CSV: %(why)s.") % {"why": exc})


def _parse(text: str, *, source: str, default_team: Team | None, now=None) -> Parsed:
    now = now or timezone.now()
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return Parsed(problem=_("The file is empty."))
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    headers = next(reader)
    columns = _columns(headers)
    needed = [key for key in ("external_id", "requester_email", "closed_at") if key not in columns]
    if needed:
        return Parsed(
            problem=_("Columns not found: %(missing)s. The first line must name the columns.")
            % {"missing": ", ".join(str(LABELS[key]) for key in needed)}
        )
    teams = {team.slug: team for team in Team.objects.all()}
    by_name = {team.name.lower(): slug for slug, team in teams.items()}
    parsed = Parsed()
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(parsed.rows) >= MAX_ROWS:
            parsed.problem = _("At most %(max)s rows per file.") % {"max": MAX_ROWS}
            return parsed
        values = {key: cells[i].strip() if i < len(cells) else "" for key, i in columns.items()}
        team = values.get("team", "")
        values["team"] = by_name.get(team.lower(), team) or (
            default_team.slug if default_team else ""
        )
        values["source"] = values.get("source") or source
        # As a webhook: a label we cannot read leaves the slice unknown, the row imported.
        for key in ("priority", "channel"):
            values[key] = slices.known_or_empty(key, values.get(key, ""))
        values["category"] = slices.category(values.get("category", ""))[: slices.CATEGORY_LENGTH]
        row = Row(line=number, values=values)
        row.ticket, row.errors = validate(values, teams, now)
        parsed.rows.append(row)
    return parsed


@dataclass(frozen=True)
class Imported:
    created: int
    existing: int


def import_rows(rows: list[Row], *, now=None) -> Imported:
    """Import the valid rows, all in one transaction: a failure half-way writes nothing."""
    items = [row.ticket for row in rows if row.ticket]
    created = existing = 0
    with transaction.atomic():
        for start in range(0, len(items), 1000):
            for result in tickets_close(
                items=items[start : start + 1000], now=now, savepoint=False
            ):
                created += result.created
                existing += not result.created
    return Imported(created, existing)
