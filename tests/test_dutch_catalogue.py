"""The Dutch catalogue is complete (issue 17's bar): no message untranslated or fuzzy, the same
placeholders as the English, the compiled .mo in step with the .po, and Django's own new strings
that its Dutch catalogue lacks (the blank choice of a select) in ours."""

import re
from pathlib import Path

import polib
import pytest
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import translation

CATALOGUE = Path(__file__).resolve().parent.parent / "locale/nl/LC_MESSAGES"
# %(name)s, %s, %d and %% as Python's %-formatting reads them.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[sdifr%]")


def live_entries() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(CATALOGUE / "django.po")) if not entry.obsolete]


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


def test_no_message_is_untranslated_or_fuzzy():
    bad = [
        entry.msgid
        for entry in live_entries()
        if entry.fuzzy or not all(text.strip() for text in translations(entry))
    ]
    assert bad == [], (
        "untranslated or fuzzy in locale/nl/LC_MESSAGES/django.po: put the Dutch in "
        "locale/nl/glossary/<name>.json and run scripts/messages.py"
    )


def test_translations_keep_the_placeholders():
    bad = []
    for entry in live_entries():
        if "python-format" not in entry.flags:
            continue
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in translations(entry):
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                bad.append((entry.msgid, text))
    assert bad == []


def test_the_compiled_catalogue_is_the_po():
    """Django reads the .mo: a .po changed without scripts/messages.py changes nothing on screen."""
    compiled = {entry.msgid: entry.msgstr for entry in polib.mofile(str(CATALOGUE / "django.mo"))}
    stale = [
        entry.msgid
        for entry in live_entries()
        if not entry.msgid_plural and compiled.get(entry.msgid) != entry.msgstr
    ]
    assert stale == []


@pytest.mark.parametrize("language, label", [("nl", "- Kies een optie -"), ("en", None)])
def test_the_blank_choice_of_a_select_is_in_the_readers_language(language, label):
    with translation.override(language):
        assert str(BLANK_CHOICE_LABEL) == (label or "- Select an option -")
