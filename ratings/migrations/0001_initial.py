# IT's ratings of customers move here from followups with their rows: the state moves (followups
# 0010 drops it there), the table is renamed, nothing is copied. The content type moves too, so
# that its permissions (and whoever holds them, directly or through a role's group) and the
# admin's history still point at the model.

import django.db.models.deletion
from django.db import migrations, models

OLD, NEW = "followups", "ratings"


def _content_type_move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    moving = ContentType.objects.filter(app_label=source, model="customerrating").first()
    if moving is None:
        return  # a fresh database: post_migrate makes the content type under the new name
    # A create_permissions run inside a migration (accounts 0002) may have made the target's
    # already; it holds nothing granted yet, while the moving one may.
    made = ContentType.objects.filter(app_label=target, model="customerrating").first()
    if made is not None:
        Permission.objects.filter(content_type=made).delete()
        made.delete()
    moving.app_label = target
    moving.save(update_fields=["app_label"])


def content_type_forward(apps, schema_editor):
    _content_type_move(apps, OLD, NEW)


def content_type_back(apps, schema_editor):
    _content_type_move(apps, NEW, OLD)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("surveys", "0011_reseal_indexes"),
        # The table exists, with its constraint, from followups' migrations.
        ("followups", "0009_preference_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CustomerRating",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("score", models.PositiveSmallIntegerField(help_text="Was the request clear, was the requester reachable? 0–10.", verbose_name="collaboration")),
                        ("department", models.CharField(blank=True, max_length=100, verbose_name="department")),
                        ("created_at", models.DateTimeField(verbose_name="rated at")),
                        ("agent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="surveys.agent", verbose_name="agent")),
                        ("team", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="surveys.team", verbose_name="team")),
                        ("ticket", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="customer_rating", to="surveys.ticket", verbose_name="ticket")),
                    ],
                    options={
                        "verbose_name": "customer rating",
                        "verbose_name_plural": "customer ratings",
                        "ordering": ["-created_at"],
                        "db_table": "followups_customerrating",
                        "constraints": [models.CheckConstraint(condition=models.Q(("score__gte", 0), ("score__lte", 10)), name="customer_rating_0_10")],
                    },
                ),
            ],
            database_operations=[],
        ),
        # Now under ratings' name: the rename keeps every row, id and constraint.
        migrations.AlterModelTable(name="customerrating", table=None),
        migrations.RunPython(content_type_forward, content_type_back),
    ]
