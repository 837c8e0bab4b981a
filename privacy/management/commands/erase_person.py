from django.core.management.base import BaseCommand, CommandError

from privacy.erasure import NothingHeld, person_erase
from privacy.management.person import ACTOR, add_address_argument, holdings


class Command(BaseCommand):
    help = (
        "Erase everything ITPulse holds about an e-mail address (GDPR article 17). The scores "
        "stay as unlinked counts; an opt-out stays as a suppression of the address's hash. "
        "Exits with status 1 when nothing is held about the address."
    )

    def add_arguments(self, parser):
        add_address_argument(parser)

    def handle(self, *args, email, **options):
        held = holdings(email)
        try:
            counts = person_erase(email=held.email, actor_label=f"{ACTOR} erase_person")
        except NothingHeld as nothing:
            if nothing.erased_at is None:
                raise CommandError("Nothing is held about this address: nothing erased.") from None
            self.stdout.write(
                f"Nothing is held about this address any more: it was erased on "
                f"{nothing.erased_at:%Y-%m-%d %H:%M} UTC."
            )
            return
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write("Erased.")
