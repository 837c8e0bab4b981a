"""Every CSV export follows the same rules (surveys/csvexport.py): a cell a spreadsheet would
run as a formula is quoted, and an answer's time is ISO 8601 to the second in the viewer's
zone. The team export and an agent's feedback export are checked side by side."""

import csv
import io
from datetime import timedelta

import pytest

from surveys.models import Agent

from .conftest import NOW
from .factories import ResponseFactory

pytestmark = pytest.mark.django_db

FORMULAS = ["=1+1", "+31 6", "-2", "@SUM(A1)", "\tx", "\rx"]


def _rows(reply) -> list[dict]:
    body = b"".join(reply.streaming_content) if reply.streaming else reply.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))


@pytest.fixture
def exports(client, alice, dave, team, frozen):
    agent = Agent.objects.get(user=dave)
    for minutes, comment in enumerate(FORMULAS):
        ResponseFactory(
            invitation__ticket__team=team,
            invitation__ticket__agent=agent,
            score=9,
            comment=comment,
            created_at=NOW - timedelta(days=1, minutes=minutes, microseconds=250),
        )
    client.force_login(alice)
    team_rows = _rows(client.get("/dashboard/teams/workplace/export.csv"))
    agent_rows = _rows(client.get(f"/agents/{agent.pk}/feedback/export.csv"))
    return team_rows, agent_rows


def test_formula_cells_are_quoted_in_every_export(exports):
    for rows in exports:
        assert sorted(row["comment"] for row in rows) == sorted("'" + f for f in FORMULAS)


def test_every_export_writes_the_same_time(exports):
    team_rows, agent_rows = exports
    times = [row["answered_at"] for row in team_rows]
    assert times == [row["answered_at"] for row in agent_rows]
    # 09:59:59.99975 UTC, newest first: Amsterdam's winter time, no fraction of a second.
    assert times[0] == "2026-11-24T10:59:59+01:00"


def test_no_export_names_the_ticket_once_the_team_is_anonymous(client, alice, dave, team, frozen):
    """surveys.anonymity decides for both: an answer given while the team was named keeps its
    ticket in the database, but no file tells it once the team is anonymous."""
    agent = Agent.objects.get(user=dave)
    for number in range(5):  # enough people for an anonymous team's answers to be shown
        ResponseFactory(
            invitation__ticket__team=team,
            invitation__ticket__agent=agent,
            invitation__ticket__external_id=f"SD-{number}",
            invitation__sent_at=NOW - timedelta(days=1, hours=1),
            score=3,
            created_at=NOW - timedelta(days=1),
        )
    client.force_login(alice)
    agent_export = f"/agents/{agent.pk}/feedback/export.csv"
    assert {row["ticket"] for row in _rows(client.get(agent_export))} == {
        f"SD-{number}" for number in range(5)
    }
    team.anonymous = True
    team.save()
    assert [row["ticket"] for row in _rows(client.get(agent_export))] == [""] * 5
    team_rows = _rows(client.get("/dashboard/teams/workplace/export.csv?identity=1"))
    assert len(team_rows) == 5 and "ticket" not in team_rows[0]
