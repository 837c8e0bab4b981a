"""python manage.py add_webhook URL --events response.created,response.changed

Prints the signing secret on its last line (a script can take it with `tail -1`)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from webhooks.models import Event
from webhooks.services import WebhookRefused, webhook_create


class Command(BaseCommand):
    help = "Subscribe a URL to outgoing webhook events; prints the signing secret last."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url")
        parser.add_argument(
            "--events",
            required=True,
            help=f"Comma-separated, of: {', '.join(Event.values)}.",
        )

    def handle(self, *args: Any, url: str, events: str, **options: Any) -> None:
        wanted = [event.strip() for event in events.split(",") if event.strip()]
        try:
            hook = webhook_create(url=url, events=wanted)
        except WebhookRefused as refused:
            raise CommandError(str(refused)) from refused
        self.stdout.write(f"Webhook {hook.pk} sends {', '.join(hook.events)} to {hook.url}.")
        self.stdout.write(hook.secret)
