# Preference moved to the accounts app (its 0001 takes the table over); only the state goes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0008_campaign_invitation_unlinkable"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Preference")],
            database_operations=[],
        ),
    ]
