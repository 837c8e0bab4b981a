import html
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from surveys.models import Invitation, Ticket
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

# A Zendesk-style export: its own column names, a semicolon, a Dutch date, two bad rows.
EXPORT = """Id;Subject;Group;Requester;Requester email;Assignee;Assignee email;Closed at
101;VPN;Workplace;Ann;ann@example.org;Sanne;sanne@example.org;25-11-2026 09:30
102;Printer;Nowhere;Bob;bob@example.org;Sanne;sanne@example.org;2026-11-25T08:00:00Z
103;Laptop;;Carla;not-an-email;Sanne;sanne@example.org;2026-11-25T08:00:00Z
104;Monitor;workplace;Dirk;dirk@example.org;;;2026-11-24 16:00
"""


def upload(client, text=EXPORT, **fields):
    data = {"file": SimpleUploadedFile("export.csv", text.encode()), "source": "zendesk"}
    data.update(fields)
    return client.post("/staff/import/", data)


def test_the_preview_shows_each_row_and_imports_nothing(client, carol, team, frozen):
    client.force_login(carol)
    page = upload(client).content.decode()
    assert "Rows that can be imported: 2. Rows with errors, to be skipped: 2." in page
    assert "Unknown team Nowhere" in page and "Enter a valid e-mail address." in page
    assert not Ticket.objects.exists()


def test_committing_imports_only_the_valid_rows(client, carol, team, frozen):
    client.force_login(carol)
    page = upload(client).content.decode()
    text = re.search(r'name="text" value="([^"]*)"', page, re.S).group(1)
    response = client.post(
        "/staff/import/", {"text": html.unescape(text), "source": "zendesk", "default_team": ""}
    )
    assert response.status_code == 302
    assert set(Ticket.objects.values_list("external_id", flat=True)) == {"101", "104"}
    ticket = Ticket.objects.get(external_id="101")
    assert ticket.closed_at.isoformat() == "2026-11-25T08:30:00+00:00"  # 09:30 Amsterdam
    assert (ticket.source, ticket.agent.name) == ("zendesk", "Sanne")
    assert Invitation.objects.count() == 2
    assert "Imported 2 tickets" in client.get("/staff/tickets/").content.decode()


def test_an_empty_team_cell_takes_the_chosen_default(client, carol, team, frozen):
    other = TeamFactory(slug="laptops", name="Laptops")
    client.force_login(carol)
    text = EXPORT.replace("not-an-email", "carla@example.org")
    page = upload(client, text, default_team=str(other.pk)).content.decode()
    assert "Rows that can be imported: 3." in page


def test_a_file_without_the_needed_columns_says_which(client, carol, team):
    client.force_login(carol)
    page = upload(client, "Title,Body\nx,y\n").content.decode()
    assert "Columns not found: Ticket id, Requester e-mail, Closed at." in page
    assert "external_id" not in page and "requester_email" not in page


def test_the_preview_names_fields_in_the_readers_words(client, carol, team, frozen):
    """Issue 17, point 6: a row's problems under the field's label, in the reader's language,
    never under an internal name such as requester_email."""
    client.force_login(carol)
    page = upload(client).content.decode()
    assert "<strong>Requester e-mail</strong>: Enter a valid e-mail address." in page
    assert "<strong>Team</strong>: Unknown team Nowhere" in page
    assert "requester_email" not in page
    dutch = client.post(
        "/staff/import/",
        {"file": SimpleUploadedFile("export.csv", EXPORT.encode()), "source": "zendesk"},
        headers={"accept-language": "nl"},
    ).content.decode()
    assert "<strong>E-mail aanvrager</strong>" in dutch and "requester_email" not in dutch


def test_only_administrators_may_import(client, alice, charlie, team):
    client.force_login(alice)  # the IT manager
    assert upload(client).status_code == 404
    client.force_login(charlie)  # no role
    assert upload(client).status_code == 403
    assert not Ticket.objects.exists()


def test_the_command_imports_valid_rows_and_names_each_bad_one(tmp_path, team, frozen):
    path = tmp_path / "export.csv"
    path.write_text(EXPORT)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="2 rows had errors"):
        call_command("import_tickets", str(path), "--source", "zendesk", stdout=out, stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("line 3: team: Unknown team Nowhere")
    assert lines[1] == (
        "line 4: team: This field is required.; requester_email: Enter a valid e-mail address."
    )
    assert "Imported 2 tickets (0 already known); 2 bad rows skipped." in out.getvalue()
    assert Ticket.objects.count() == 2


def test_the_command_exits_zero_when_every_row_is_good(tmp_path, team, frozen):
    path = tmp_path / "export.csv"
    path.write_text(
        "id,requester email,closed at,team\n1,ann@example.org,2026-11-25 09:00,workplace\n"
    )
    out = io.StringIO()
    call_command("import_tickets", str(path), stdout=out, stderr=io.StringIO())
    assert "Imported 1 tickets" in out.getvalue()
    again = io.StringIO()
    call_command("import_tickets", str(path), stdout=again, stderr=io.StringIO())
    assert "Imported 0 tickets (1 already known)" in again.getvalue()


def test_the_command_dry_run_writes_nothing(tmp_path, team, frozen):
    path = tmp_path / "export.csv"
    path.write_text(EXPORT)
    with pytest.raises(CommandError):
        call_command(
            "import_tickets", str(path), "--dry-run", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert not Ticket.objects.exists()


def test_the_command_refuses_an_unknown_team_or_file(tmp_path, team):
    with pytest.raises(CommandError, match="Known teams: workplace"):
        call_command("import_tickets", str(tmp_path / "x.csv"), "--team", "nope")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_tickets", str(tmp_path / "missing.csv"))


def test_a_file_the_csv_reader_refuses_is_a_message_not_a_500(client, carol, team, tmp_path):
    # A cell over the csv module's field limit (128 KB) made the reader raise.
    text = 'Id,Requester email,Closed at\n"' + "x" * 200_000 + '",ann@example.org,2026-11-25\n'
    client.force_login(carol)
    response = upload(client, text)
    assert response.status_code == 200
    assert "The file cannot be read as CSV" in response.content.decode()
    path = tmp_path / "export.csv"
    path.write_text(text)
    with pytest.raises(CommandError, match="cannot be read as CSV"):
        call_command("import_tickets", str(path))
    assert not Ticket.objects.exists()
