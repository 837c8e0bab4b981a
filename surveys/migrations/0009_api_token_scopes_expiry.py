"""API tokens get scopes, an expiry, an owner and a revocation time (issue 14).

Tokens made before this could do everything: they keep both scopes, so no helpdesk stops
working on upgrade. They could also never expire; they now expire 365 days after this
migration, the same lifetime a new token gets by default. None stays valid forever, which is
the point of the change, and the year leaves ample time to replace them (the staff page and
the admin show each token's expiry).
"""

from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

BOTH = ["tickets:write", "results:read"]


def expire_in_a_year(apps, schema_editor):
    ApiToken = apps.get_model("surveys", "ApiToken")
    ApiToken.objects.filter(expires_at=None).update(expires_at=timezone.now() + timedelta(days=365))


class Migration(migrations.Migration):
    dependencies = [
        ("surveys", "0008_unlink_anonymous_answers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Existing tokens: both scopes (preserve_default=False: new ones name theirs).
        migrations.AddField(
            model_name="apitoken",
            name="scopes",
            field=models.JSONField(default=BOTH, verbose_name="scopes"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="apitoken",
            name="scopes",
            field=models.JSONField(default=list, verbose_name="scopes"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
        ),
        # A required column in three steps: add it empty, fill it, require it.
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires at"),
        ),
        migrations.RunPython(expire_in_a_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="owner",
            field=models.ForeignKey(
                blank=True,
                help_text="Who made it in the app; empty for tokens made with manage.py.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="owner",
            ),
        ),
    ]
