from django.core.management.base import BaseCommand

from scoring.rollups import rebuild


class Command(BaseCommand):
    help = (
        "Recount the dashboard's per-day tables from the raw responses and invitations "
        "(after a bulk import, a restore, or a change of TIME_ZONE)."
    )

    def handle(self, *args, **options):
        written = rebuild()
        self.stdout.write(
            f"Rebuilt {written['team_days']} team days and {written['agent_days']} agent days."
        )
