"""Dutch date formats, the same style as the English ones (itpulse/formats/en/formats.py) with
Dutch month names, lower case as Dutch writes them ("b", not "M", which capitalises):
25 nov 2026, 25 nov 2026 14:05."""

DATE_FORMAT = "j b Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j b Y H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j b"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "b Y"  # nov 2026: the overview's monthly columns
