"""The .xlsx twin of every CSV export (surveys/csvexport.py): the same rows, in a file Excel opens
in columns whatever the computer's region.

openpyxl's write-only workbook writes each row to a temporary file as it comes (strings inline,
no shared-string table in memory), and the finished file is sent from disk: memory stays the same
for a week or for ten years of answers.
"""

import re
import tempfile
from collections.abc import Iterable, Sequence

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters Excel refuses in a sheet's name (a team called "Service/Support").
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _text(sheet, value: str) -> WriteOnlyCell:
    # A text cell, typed as text: Excel never runs "=…" in it, so no quote is added (unlike the
    # CSV, where the quote is the only way to say "text"). Control characters that XML cannot
    # hold (a pasted form feed) are dropped rather than failing the whole export.
    text = WriteOnlyCell(sheet, value=None)
    text.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    text.data_type = "s"
    return text


def xlsx_response(
    rows: Iterable[Sequence[str | int | None]], *, filename: str, title: str
) -> FileResponse:
    """`rows` (the header first) as an .xlsx attachment with one sheet named `title`."""
    workbook = Workbook(write_only=True)
    # 31 characters: Excel's limit for a sheet's name.
    sheet = workbook.create_sheet(title=SHEET_NAME_FORBIDDEN.sub(" ", title)[:31].strip() or "-")
    for row in rows:
        sheet.append([_text(sheet, value) if isinstance(value, str) else value for value in row])
    # Deleted when the response closes it (FileResponse closes its file after sending).
    file = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)
