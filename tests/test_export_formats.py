"""Exports that open right (issue 17, point 6): every CSV export starts with a UTF-8 byte-order
mark and is separated by `;` for a Dutch reader, `,` for an English one, as Excel splits a file
in those regions; every CSV export has an .xlsx twin with the same columns and rows, whose text
cells a spreadsheet never runs as formulas."""

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from accounts.models import Preference
from audit.models import AuditEvent
from surveys.models import Agent

from .conftest import NOW
from .factories import ResponseFactory

pytestmark = pytest.mark.django_db

TEAM = "/dashboard/teams/workplace/export"
COMMENTS = ["Café geweldig, één dag", "=1+1", "ok\x0c then"]


def _exports(agent: Agent) -> list[str]:
    return [TEAM, f"/agents/{agent.pk}/feedback/export", "/me/feedback/export"]


def _body(reply) -> bytes:
    return reply.getvalue()


@pytest.fixture
def answers(team, dave, frozen) -> Agent:
    agent = Agent.objects.get(user=dave)
    for minutes, comment in enumerate(COMMENTS):
        ResponseFactory(
            invitation__ticket__team=team,
            invitation__ticket__agent=agent,
            score=9,
            comment=comment,
            created_at=NOW - timedelta(days=1, minutes=minutes),
        )
    return agent


@pytest.fixture
def reader(client, dave, alice):
    """A client signed in as whoever may read the export: the agent for their own."""

    def get(url: str, language: str = "en"):
        client.force_login(dave if url.startswith("/me/") else alice)
        return client.get(url, headers={"accept-language": language})

    return get


@pytest.mark.parametrize(("language", "separator"), [("en", ","), ("nl", ";")])
def test_every_csv_export_has_a_bom_and_the_readers_separator(answers, reader, language, separator):
    for url in _exports(answers):
        reply = reader(url + ".csv", language)
        assert reply["Content-Type"] == "text/csv; charset=utf-8", url
        body = _body(reply)
        assert body.startswith(b"\xef\xbb\xbf"), url  # UTF-8's byte-order mark
        text = body.decode("utf-8-sig")
        header = text.splitlines()[0]
        assert header.split(separator)[0] == "answered_at", (url, header)
        rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=separator))
        assert sorted(row["comment"] for row in rows) == sorted(
            ["Café geweldig, één dag", "'=1+1", "ok\x0c then"]
        ), url


def _sheet(reply) -> list[list]:
    workbook = load_workbook(io.BytesIO(_body(reply)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_every_xlsx_export_has_the_csvs_columns_and_rows(answers, reader):
    for url in _exports(answers):
        reply = reader(url + ".xlsx")
        assert reply.status_code == 200, url
        assert reply["Content-Type"] == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert reply["Content-Disposition"].startswith("attachment; filename=")
        assert reply["Content-Disposition"].endswith('.xlsx"'), url
        assert {part.strip() for part in reply["Cache-Control"].split(",")} == {
            "private",
            "no-store",
        }
        csv_rows = list(
            csv.reader(io.StringIO(_body(reader(url + ".csv")).decode("utf-8-sig"), newline=""))
        )
        sheet = _sheet(reply)
        assert sheet[0] == csv_rows[0], url  # the same columns, in the same order
        assert len(sheet) == len(csv_rows) == 1 + len(COMMENTS), url
        comments = [row[sheet[0].index("comment")] for row in sheet[1:]]
        # The formula kept as it was written, but as text; the form feed XML cannot hold dropped.
        assert sorted(comments) == sorted(["Café geweldig, één dag", "=1+1", "ok then"]), url
        scores = {row[sheet[0].index("score")] for row in sheet[1:]}
        assert scores == {9}, url  # numbers stay numbers


def test_an_xlsx_text_cell_is_never_a_formula(answers, reader):
    workbook = load_workbook(io.BytesIO(_body(reader(TEAM + ".xlsx"))))
    cells = [cell for row in workbook.active.iter_rows() for cell in row if cell.value == "=1+1"]
    assert cells and all(cell.data_type == "s" for cell in cells)


def test_the_xlsx_keeps_the_csvs_file_name_and_the_identity_audit(answers, reader):
    reply = reader(TEAM + ".xlsx?period=90&identity=1")
    assert reply["Content-Disposition"] == (
        'attachment; filename="itpulse-workplace-2026-08-28-to-2026-11-25-with-requesters.xlsx"'
    )
    assert "requester_email" in _sheet(reply)[0]
    assert AuditEvent.objects.filter(action="exported_with_identity").count() == 1


def test_a_dutch_users_chosen_language_gives_the_semicolon(client, answers, alice):
    """The separator follows the interface language, which follows the user's own choice
    (Preferences) before the browser's: a Dutch IT manager on an English browser gets `;`."""
    Preference.objects.create(user=alice, language="nl")
    client.force_login(alice)
    body = client.get(TEAM + ".csv", headers={"accept-language": "en"}).getvalue()
    assert body.decode("utf-8-sig").splitlines()[0].startswith("answered_at;team;agent;")
