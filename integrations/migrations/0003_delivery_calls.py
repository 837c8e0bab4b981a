"""Unauthenticated refusals become one counted row per connector and reason (issue 14).

Rows logged one per call before this are folded into the latest of each reason, with their
number in `calls`, so that the unique constraint can be added.
"""

from django.db import migrations, models
from django.db.models import Count, Max


def fold(apps, schema_editor):
    Delivery = apps.get_model("integrations", "Delivery")
    unauthenticated = Delivery.objects.filter(outcome="refused", status_code=401)
    groups = (
        unauthenticated.values("connector_id", "reason")
        .annotate(n=Count("id"), latest=Max("id"))
        .filter(n__gt=1)
    )
    for group in groups:
        same = unauthenticated.filter(connector_id=group["connector_id"], reason=group["reason"])
        same.exclude(id=group["latest"]).delete()
        same.filter(id=group["latest"]).update(calls=group["n"])


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0002_delivery_refused_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="delivery",
            name="calls",
            field=models.PositiveIntegerField(default=1, verbose_name="calls"),
        ),
        migrations.RunPython(fold, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(
                condition=models.Q(("outcome", "refused"), ("status_code", 401)),
                fields=("connector", "reason"),
                name="delivery_unauthenticated_reason",
            ),
        ),
    ]
