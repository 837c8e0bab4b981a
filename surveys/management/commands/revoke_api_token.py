from django.core.management.base import BaseCommand, CommandError

from surveys.api_tokens import api_token_revoke
from surveys.models import ApiToken


class Command(BaseCommand):
    help = "Revoke an API token at once: every call with it is refused (401) from now on."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The token's name, as listed in the admin.")

    def handle(self, *args, name, **options):
        token = ApiToken.objects.filter(name=name.strip()).first()
        if token is None:
            raise CommandError(f"No token named {name!r}.")
        if not api_token_revoke(api_token=token, actor_label="manage.py revoke_api_token"):
            raise CommandError(f"Token {token.name!r} was revoked already.")
        self.stdout.write(f"Token {token.name!r} ({token.prefix}…) revoked.")
