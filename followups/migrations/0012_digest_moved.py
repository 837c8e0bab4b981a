# DigestSent moved to delivery as Digest (its 0003 takes the table over); only the state goes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0011_customer_rating_moved"),
        ("delivery", "0003_digests"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DigestSent")],
            database_operations=[],
        ),
    ]
