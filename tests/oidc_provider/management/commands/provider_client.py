from django.core.management.base import BaseCommand
from oauth2_provider.models import Application


class Command(BaseCommand):
    help = "Register (or update) the confidential client ITPulse signs in with."

    def add_arguments(self, parser):
        parser.add_argument("client_id")
        parser.add_argument("secret")
        parser.add_argument("redirect_uri")

    def handle(self, *args, client_id, secret, redirect_uri, **options):
        app = Application.objects.filter(client_id=client_id).first() or Application(
            client_id=client_id
        )
        app.name = "ITPulse"
        app.client_type = Application.CLIENT_CONFIDENTIAL
        app.authorization_grant_type = Application.GRANT_AUTHORIZATION_CODE
        app.algorithm = Application.RS256_ALGORITHM
        app.client_secret = secret
        app.redirect_uris = redirect_uri
        # An organisation's own application: no consent page.
        app.skip_authorization = True
        app.save()
