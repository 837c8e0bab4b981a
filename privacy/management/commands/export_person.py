from django.core.management.base import BaseCommand

from privacy.export import as_json, person_export
from privacy.management.person import ACTOR, add_address_argument, holdings


class Command(BaseCommand):
    help = (
        "Print, as JSON, everything ITPulse holds about an e-mail address (an access request, "
        "GDPR article 15). Recorded in the audit trail by the address's hash."
    )

    def add_arguments(self, parser):
        add_address_argument(parser)

    def handle(self, *args, email, **options):
        held = holdings(email)
        data = person_export(email=held.email, actor_label=f"{ACTOR} export_person")
        if held.is_empty():
            self.stderr.write("Nothing is held about this address.")
        self.stdout.write(as_json(data))
