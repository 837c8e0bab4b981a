from django.core.management.base import BaseCommand, CommandError

from scoring.rollups import differences, rebuild


class Command(BaseCommand):
    help = (
        "Recount the dashboard's per-day tables from the responses and invitations and list every "
        "difference (exit status 1 when there is one); --fix rebuilds them from the rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help="Rebuild the tables when they differ."
        )

    def handle(self, *args, fix=False, **options):
        found = differences()
        if not found:
            self.stdout.write("The rollups match the rows.")
            return
        for line in found:
            self.stdout.write(line)
        if not fix:
            raise CommandError(
                f"{len(found)} rollup counts differ from the rows; run check_rollups --fix."
            )
        written = rebuild()
        self.stdout.write(
            f"Fixed: rebuilt {written['team_days']} team days and "
            f"{written['agent_days']} agent days."
        )
