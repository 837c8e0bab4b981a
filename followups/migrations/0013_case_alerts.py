# The detractor alert's e-mails become rows of the delivery engine's outbox, one per team lead.
# Cases alerted before keep their `alerted_at` and get no rows: nothing is sent again.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0012_digest_moved"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseAlert",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("status", models.CharField(choices=[("planned", "planned"), ("sending", "sending"), ("sent", "sent"), ("failed", "failed"), ("suppressed", "suppressed")], default="planned", max_length=12, verbose_name="status")),
                ("reason", models.CharField(blank=True, help_text="Why it failed or was suppressed.", max_length=255, verbose_name="reason")),
                ("send_after", models.DateTimeField(blank=True, null=True, verbose_name="send after")),
                ("claimed_at", models.DateTimeField(blank=True, null=True, verbose_name="claimed at")),
                ("claimed_by", models.CharField(blank=True, editable=False, max_length=32)),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="alerts", to="followups.followupcase", verbose_name="case")),
                ("lead", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="team lead")),
            ],
            options={
                "verbose_name": "case alert",
                "verbose_name_plural": "case alerts",
                "ordering": ["-id"],
                "indexes": [models.Index(condition=models.Q(("status", "planned")), fields=["send_after"], name="case_alert_due_idx")],
                "constraints": [models.UniqueConstraint(fields=("case", "lead"), name="case_alert_once_per_lead")],
            },
        ),
    ]
