"""What every CSV export does the same way: cells a spreadsheet cannot run, and answer times.

The team export (scoring/responses.py) and the agent's feedback export (followups) both write
through these, so the CSV-injection guard and the time format are one rule, not one per file.
"""

from datetime import datetime, timedelta, tzinfo

# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets (the
# tab and carriage return because some of them skip those before looking): CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """Free text that a spreadsheet would run as a formula, quoted as text."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


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
