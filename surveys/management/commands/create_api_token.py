from django.core.management.base import BaseCommand, CommandError

from surveys.api_tokens import ALL_SCOPES, MAX_DAYS, api_token_create
from surveys.models import ApiToken


class Command(BaseCommand):
    help = (
        "Make an API token for a helpdesk tool. The token is printed once, on the last line. "
        "Without --scope it may do everything (both scopes), as tokens always could."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who uses the token, such as 'jira-production'.")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            choices=ALL_SCOPES,
            help="What the token may do; repeat for more: tickets:write (send closed tickets, "
            "batches) and results:read (scores, trends). Default: both.",
        )
        parser.add_argument(
            "--expires-days",
            type=int,
            default=None,
            help=f"Days the token is valid (1 to {MAX_DAYS}; default 365).",
        )

    def handle(self, *args, name, scopes, expires_days, **options):
        name = name.strip()
        if not name:
            raise CommandError("The token needs a name.")
        if expires_days is not None and not 1 <= expires_days <= MAX_DAYS:
            raise CommandError(f"--expires-days must be between 1 and {MAX_DAYS}.")
        if ApiToken.objects.filter(name=name).exists():
            raise CommandError(f"A token named {name!r} exists already; pick another name.")
        token, raw = api_token_create(
            name=name,
            scopes=scopes or ALL_SCOPES,
            days=expires_days,
            actor_label="manage.py create_api_token",
        )
        self.stderr.write(
            f"Token {name!r} made (scopes: {' '.join(token.scopes)}; expires "
            f"{token.expires_at:%Y-%m-%d}). Store it now: it is not shown again."
        )
        self.stdout.write(raw)
