from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from privacy.retention import retention_apply


class Command(BaseCommand):
    help = (
        "Remove the personal data older than ITPULSE_RETENTION_DAYS, and sent-mail copies and "
        "delivery logs older than ITPULSE_MAIL_RETENTION_DAYS; print the counts per kind. "
        "The scores stay as unlinked counts. The beat runs this daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only print what would be removed."
        )

    def handle(self, *args, dry_run=False, **options):
        counts = retention_apply(
            now=timezone.now(), dry_run=dry_run, actor_label="manage.py apply_retention"
        )
        self.stdout.write(
            f"Retention: {settings.ITPULSE_RETENTION_DAYS} days; sent mail and delivery logs: "
            f"{settings.ITPULSE_MAIL_RETENTION_DAYS} days."
        )
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} would remove" if dry_run else f"{kind}: {count}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        else:
            self.stdout.write(f"Done (removed {sum(counts.values())} in all).")
