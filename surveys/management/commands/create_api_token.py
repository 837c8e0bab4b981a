from django.core.management.base import BaseCommand, CommandError

from surveys.models import ApiToken
from surveys.services import api_token_create


class Command(BaseCommand):
    help = "Make an API token for a helpdesk tool. The token is printed once, on the last line."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Who uses the token, such as 'jira-production'.")

    def handle(self, *args, name, **options):
        name = name.strip()
        if not name:
            raise CommandError("The token needs a name.")
        if ApiToken.objects.filter(name=name).exists():
            raise CommandError(f"A token named {name!r} exists already; pick another name.")
        _token, raw = api_token_create(name=name)
        self.stderr.write(f"Token {name!r} made. Store it now: it is not shown again.")
        self.stdout.write(raw)
