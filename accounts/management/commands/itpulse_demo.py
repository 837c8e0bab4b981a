import secrets

from django.core.management.base import BaseCommand
from django.utils import timezone

from surveys.demo import load_demo

from ...demo import demo_manager


class Command(BaseCommand):
    help = (
        "Load a demo organisation (teams, agents, a year of tickets and answers) and make or reset "
        "the 'manager' login. Running it again keeps the data and only resets the password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for the 'manager' login (default: a new random one, printed).",
        )

    def handle(self, *args, password=None, **options):
        password = password or secrets.token_urlsafe(9)
        demo_manager(password=password)
        result = load_demo(now=timezone.now())
        if result["created"]:
            self.stdout.write(
                f"Demo organisation loaded: {result['tickets']} tickets, "
                f"{result['responses']} responses."
            )
        else:
            self.stdout.write("Demo organisation already present; nothing added.")
        self.stdout.write(f"Manager login: manager / {password}")
