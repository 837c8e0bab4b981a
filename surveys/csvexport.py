"""What every CSV export does the same way: cells a spreadsheet cannot run, answer times, and a
file that Excel opens in columns in the reader's language.

The team export (scoring/responses.py) and the agent's feedback export (scoring/views/feedback.py)
both write through these, so the CSV-injection guard, the time format, the byte-order mark and
the separator are one rule, not one per file. Their .xlsx twins go through surveys/xlsxexport.py.
"""

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta, tzinfo

from django.utils import translation

# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets (the
# tab and carriage return because some of them skip those before looking): CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """Free text that a spreadsheet would run as a formula, quoted as text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# Excel reads a CSV without a byte-order mark in the computer's legacy code page (é becomes Ã©),
# and splits it on the separator of the computer's region: `;` where the decimal mark is a
# comma, as in the Netherlands, `,` in English-speaking regions.
BOM = "\ufeff"
ROWS_PER_CHUNK = 500


def separator() -> str:
    """The separator for the request's active language (Dutch: `;`)."""
    return ";" if (translation.get_language() or "").startswith("nl") else ","


def csv_lines(rows: Iterable[Sequence[str | int | None]]) -> Iterator[str]:
    """`rows` (the header first) as CSV text in chunks, starting with the byte-order mark;
    every text cell through the formula guard. The separator is chosen now, while the request's
    language is active, not when a streaming response reads the first chunk."""
    writer = csv.writer(Echo(), delimiter=separator())
    return _chunks(writer, rows)


def _chunks(writer, rows: Iterable[Sequence[str | int | None]]) -> Iterator[str]:
    chunk = [BOM]
    for row in rows:
        chunk.append(writer.writerow([cell(v) if isinstance(v, str) else v for v in row]))
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


class Echo:
    """csv.writer wants a file; this one hands each written line back, for streaming."""

    def write(self, value: str) -> str:
        return value


class LocalTime:
    """A time as ISO 8601 to the second in `zone` (the viewer's), as every export writes it.

    Several times faster than astimezone().isoformat() per row: the zone's offset is looked up
    once per quarter hour (offsets only ever change on a quarter hour) and the text is made
    from a naive time."""

    def __init__(self, zone: tzinfo):
        self.zone = zone
        self.quarter: int | None = None
        self.offset = timedelta(0)
        self.suffix = ""

    def __call__(self, instant: datetime) -> str:
        # Rows come in time order: remembering the last quarter hour is enough, and memory
        # stays the same however long the period.
        quarter = int(instant.timestamp()) // 900
        if quarter != self.quarter:
            local = instant.astimezone(self.zone)
            self.quarter, self.offset, self.suffix = (
                quarter,
                local.utcoffset() or timedelta(0),
                local.strftime("%:z"),
            )
        return (instant + self.offset).replace(tzinfo=None).isoformat(
            timespec="seconds"
        ) + self.suffix
