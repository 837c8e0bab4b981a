"""Import closed tickets from a helpdesk's CSV export; every bad row is named on stderr."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.models import Team

from ...csv_import import decode, import_rows, parse


class Command(BaseCommand):
    help = "Import closed tickets from a CSV export and plan their surveys (valid rows only)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file; the first line names the columns.")
        parser.add_argument("--source", default="csv", help="Source system of these tickets.")
        parser.add_argument("--team", default="", help="Team slug for rows without a team.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, import nothing."
        )

    def handle(self, *args, path, source, team, dry_run, **options):
        default_team = None
        if team:
            default_team = Team.objects.filter(slug=team).first()
            if default_team is None:
                known = ", ".join(Team.objects.values_list("slug", flat=True)) or "—"
                raise CommandError(f"Unknown team {team}. Known teams: {known}.")
        try:
            text = decode(Path(path).read_bytes())
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from None
        parsed = parse(text, source=source, default_team=default_team)
        if parsed.problem and not parsed.rows:
            raise CommandError(parsed.problem)
        for row in parsed.invalid:
            problems = "; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in row.errors.items())
            self.stderr.write(f"line {row.line}: {problems}")
        if dry_run:
            self.stdout.write(f"{len(parsed.valid)} valid rows, {len(parsed.invalid)} bad rows.")
        else:
            result = import_rows(parsed.valid)
            self.stdout.write(
                f"Imported {result.created} tickets ({result.existing} already known); "
                f"{len(parsed.invalid)} bad rows skipped."
            )
        if parsed.problem:
            raise CommandError(parsed.problem)
        if parsed.invalid:
            raise CommandError(f"{len(parsed.invalid)} rows had errors (listed above).")
