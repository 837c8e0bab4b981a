# Weekly digests move here from followups with their rows and become rows of the delivery
# engine's outbox: the state moves (followups 0012 drops DigestSent there), the table is renamed
# and gains the outbox's fields; the content type moves and takes the new name.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def outbox_fill(apps, schema_editor):
    Digest = apps.get_model("delivery", "Digest")
    # A row was the claim of a digest: sent, or kept with nothing to tell (or left by a worker
    # that died while sending, which the old code never sent either). None goes out again.
    Digest.objects.update(send_after=F("claimed_at"))
    Digest.objects.filter(sent_at__isnull=False).update(status="sent", attempts=1)
    Digest.objects.filter(sent_at__isnull=True).update(status="suppressed", reason="nothing to tell")


def _content_type_move(apps, source, target):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    moving = ContentType.objects.filter(app_label=source[0], model=source[1]).first()
    if moving is None:
        return  # a fresh database: post_migrate makes the content type under the new name
    made = ContentType.objects.filter(app_label=target[0], model=target[1]).first()
    if made is not None:  # made by a create_permissions run in a migration; nothing granted yet
        Permission.objects.filter(content_type=made).delete()
        made.delete()
    moving.app_label, moving.model = target
    moving.save(update_fields=["app_label", "model"])
    # The permissions keep their rows (and whoever holds them); their codenames follow the name.
    for permission in Permission.objects.filter(content_type=moving):
        verb = permission.codename.split("_", 1)[0]
        permission.codename = f"{verb}_{target[1]}"
        permission.save(update_fields=["codename"])


def content_type_forward(apps, schema_editor):
    _content_type_move(apps, ("followups", "digestsent"), ("delivery", "digest"))


def content_type_back(apps, schema_editor):
    _content_type_move(apps, ("delivery", "digest"), ("followups", "digestsent"))


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0002_suppressed_address_hash"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        # The table exists, with its constraint, from followups' migrations.
        ("followups", "0011_customer_rating_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Digest",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("lead", "team lead digest"), ("agent", "personal digest")], max_length=5, verbose_name="kind")),
                        ("period_until", models.DateField(verbose_name="period until")),
                        ("claimed_at", models.DateTimeField(verbose_name="claimed at")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "digest",
                        "verbose_name_plural": "digests",
                        "ordering": ["-period_until", "user_id"],
                        "db_table": "followups_digestsent",
                        "constraints": [models.UniqueConstraint(fields=("user", "kind", "period_until"), name="digest_once_per_period")],
                    },
                ),
            ],
            database_operations=[],
        ),
        # Now under delivery's name: the rename keeps every row, id and constraint.
        migrations.AlterModelTable(name="digest", table=None),
        migrations.AlterField(
            model_name="digest",
            name="claimed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="claimed at"),
        ),
        migrations.AddField(
            model_name="digest",
            name="status",
            field=models.CharField(choices=[("planned", "planned"), ("sending", "sending"), ("sent", "sent"), ("failed", "failed"), ("suppressed", "suppressed")], default="planned", max_length=12, verbose_name="status"),
        ),
        migrations.AddField(
            model_name="digest",
            name="reason",
            field=models.CharField(blank=True, help_text="Why it failed or was suppressed.", max_length=255, verbose_name="reason"),
        ),
        migrations.AddField(
            model_name="digest",
            name="send_after",
            field=models.DateTimeField(blank=True, null=True, verbose_name="send after"),
        ),
        migrations.AddField(
            model_name="digest",
            name="claimed_by",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="digest",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
        ),
        migrations.AddIndex(
            model_name="digest",
            index=models.Index(condition=models.Q(("status", "planned")), fields=["send_after"], name="digest_due_idx"),
        ),
        migrations.RunPython(outbox_fill, migrations.RunPython.noop),
        migrations.RunPython(content_type_forward, content_type_back),
    ]
