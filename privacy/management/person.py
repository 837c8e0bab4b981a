"""What export_person and erase_person share: the EMAIL argument and its check."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser

from privacy.holdings import Holdings, holdings_for

ACTOR = "manage.py"


def add_address_argument(parser: CommandParser) -> None:
    parser.add_argument("email", help="The person's e-mail address (case does not matter).")


def holdings(email: str) -> Holdings:
    try:
        return holdings_for(email)
    except ValidationError:
        raise CommandError(f"{email!r} is not an e-mail address.") from None
