"""One date style per language (itpulse/formats/): day, month, year and the 24-hour clock on every
page and e-mail, with the language's month names; templates name a format, never spell one."""

import re
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.formats import date_format

from .conftest import NOW

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("language", "date", "moment", "month_day", "month"),
    [
        ("en", "25 Nov 2026", "25 Nov 2026 10:00", "25 Nov", "Nov 2026"),
        ("nl", "25 nov 2026", "25 nov 2026 10:00", "25 nov", "nov 2026"),
    ],
)
def test_each_language_has_one_style(language, date, moment, month_day, month):
    with translation.override(language):
        assert date_format(NOW, "DATE_FORMAT") == date_format(NOW, "SHORT_DATE_FORMAT") == date
        assert date_format(NOW, "DATETIME_FORMAT") == moment
        assert date_format(NOW, "SHORT_DATETIME_FORMAT") == moment
        assert date_format(NOW, "MONTH_DAY_FORMAT") == month_day
        assert date_format(NOW, "YEAR_MONTH_FORMAT") == month


def test_templates_name_their_date_formats():
    spelled = [
        f"{path.relative_to(ROOT)}: {found}"
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.is_file()
        for found in re.findall(r'\|date:"([^"]*)"', path.read_text())
        if not re.fullmatch(r"[A-Z_]+_FORMAT", found)
    ]
    assert spelled == [], "use DATE_FORMAT, DATETIME_FORMAT, MONTH_DAY_FORMAT…"
