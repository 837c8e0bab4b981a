from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from surveys.demo import load_demo

from ...demo import demo_lead, demo_logins
from ...signals import demo_loaded


class Command(BaseCommand):
    help = (
        "Load a demo organisation (teams, agents, a year of tickets and answers, follow-up cases, "
        "ratings of customers, periodic surveys) and make or reset one login per role: "
        "administrator, team lead, agent and IT manager ('manager', printed last). Running it "
        "again keeps the data and only resets the passwords."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Password for the 'manager' login (default: a new random one, printed).",
        )

    def handle(self, *args, password=None, **options):
        now = timezone.now()
        with transaction.atomic():
            result = load_demo(now=now)
            logins = demo_logins(manager_password=password)
            # Follow-up cases, ratings of customers and periodic surveys: each app its own part.
            demo_loaded.send(sender=self.__class__, now=now, lead=demo_lead())
        if result["created"]:
            self.stdout.write(
                f"Demo organisation loaded: {result['tickets']} tickets, "
                f"{result['responses']} responses."
            )
        else:
            self.stdout.write("Demo organisation already present; nothing added.")
        # One line per role; the passwords go to this terminal only, never to a file or a log.
        for login in logins:
            self.stdout.write(f"{login.label}: {login.username} / {login.password}")
