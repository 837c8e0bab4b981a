"""Refresh the Dutch translations: makemessages, fill from locale/nl/glossary/*.json, compile.

The glossary files (English msgid → Dutch) are the source of truth for our own strings, so that
parallel work on different features never has to merge .po files by hand. Run it after changing
any user-facing string: `python scripts/messages.py`. Needs GNU gettext (msgfmt) and polib.
It exits non-zero, listing them, when a string has no Dutch translation.
"""

import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale/nl/LC_MESSAGES/django.po"


def main() -> int:
    manage = [sys.executable, "manage.py"]
    ignore = [
        "--ignore=.venv",
        "--ignore=staticfiles",
        "--ignore=var",
        "--ignore=bench",
        "--ignore=tests",
        "--ignore=scripts",
        "--ignore=docs",
    ]
    subprocess.run(
        [*manage, "makemessages", "-l", "nl", "--no-location", "-v0", *ignore], cwd=ROOT, check=True
    )
    glossary = {}
    for path in sorted((ROOT / "locale/nl/glossary").glob("*.json")):
        glossary.update(json.loads(path.read_text()))
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid in glossary:
            entry.msgstr = glossary[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr or "fuzzy" in entry.flags:
            missing.append(entry.msgid)
    po.save()
    subprocess.run(
        [*manage, "compilemessages", "-l", "nl", "-v0", "--ignore=.venv"], cwd=ROOT, check=True
    )
    for msgid in missing:
        print(f"no Dutch translation: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
