# Preferences move here from followups with their rows: the state moves (followups 0008 drops
# it there), the table is renamed, nothing is copied.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PREFERENCE_FIELDS = [
    ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
    ("language", models.CharField(choices=[("en", "English"), ("nl", "Dutch")], default="en", max_length=5, verbose_name="language")),
    ("time_zone", models.CharField(default="Europe/Amsterdam", max_length=64, verbose_name="time zone")),
    ("digest_enabled", models.BooleanField(default=True, verbose_name="weekly digest")),
    ("digest_weekday", models.PositiveSmallIntegerField(choices=[(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday"), (5, "Saturday"), (6, "Sunday")], default=0, verbose_name="digest day")),
    ("digest_hour", models.PositiveSmallIntegerField(default=8, help_text="0–23, in your time zone.", verbose_name="digest hour")),
    ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="preference", to=settings.AUTH_USER_MODEL, verbose_name="user")),
]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The table exists, with its constraints, from followups' migrations.
        ("followups", "0007_campaign_invitation_answered"),
    ]

    operations = [
        migrations.CreateModel(
            name="Capability",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
            ],
            options={
                "verbose_name": "capability",
                "verbose_name_plural": "capabilities",
                "permissions": [
                    ("view_delivery", "Sent mail, scanner report and delivery page"),
                    ("import_tickets", "Import tickets from a CSV file"),
                ],
                "default_permissions": (),
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Preference",
                    fields=PREFERENCE_FIELDS,
                    options={
                        "verbose_name": "preference",
                        "verbose_name_plural": "preferences",
                        "db_table": "followups_preference",
                        "constraints": [
                            models.CheckConstraint(condition=models.Q(("digest_hour__lte", 23)), name="preference_hour_0_23"),
                            models.CheckConstraint(condition=models.Q(("digest_weekday__lte", 6)), name="preference_weekday_0_6"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        # Now under accounts' name: the rename keeps every row, id and constraint.
        migrations.AlterModelTable(name="preference", table=None),
    ]
