"""English date formats: day, month, year, as in Europe where ITPulse runs, and one style for every
page and e-mail (templates name the format, never spell one out). The 24-hour clock."""

DATE_FORMAT = "j M Y"  # 25 Nov 2026
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j M Y H:i"  # 25 Nov 2026 14:05
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
MONTH_DAY_FORMAT = "j M"  # 25 Nov: chart axes
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "M Y"  # Nov 2026: the overview's monthly columns
