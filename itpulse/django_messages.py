"""Django's own strings that its Dutch catalogue does not have yet, so that makemessages puts
them in ours (locale/, which Django reads first) and scripts/messages.py fills them from the
glossary. Django 6.1's blank choice of a select, BLANK_CHOICE_LABEL, is new and would show in
English on every Dutch form with a choice that may be left empty."""

from django.utils.translation import gettext_lazy as _

BLANK_CHOICE = _("- Select an option -")
