# CustomerRating moved to the ratings app (its 0001 takes the table over); only the state goes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0010_campaigns_moved"),
        ("ratings", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CustomerRating")],
            database_operations=[],
        ),
    ]
