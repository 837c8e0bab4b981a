# Periodic surveys moved to the campaigns app (issue 15). Only Django's idea of which app owns the
# models changes: the tables keep their names (campaigns' models set db_table) and their rows.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("followups", "0009_preference_moved"),
        # campaigns takes the tables over in its 0001 before followups lets go of them here.
        ("campaigns", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.RemoveConstraint(
                model_name='campaignanswer',
                name='campaign_answer_0_10',
            ),
            migrations.RemoveIndex(
                model_name='campaigninvitation',
                name='campaign_inv_recent_idx',
            ),
            migrations.RemoveConstraint(
                model_name='campaigninvitation',
                name='campaign_invitation_once',
            ),
            migrations.RemoveField(
                model_name='campaigninvitation',
                name='campaign',
            ),
            migrations.RemoveField(
                model_name='campaigninvitation',
                name='requester',
            ),
            migrations.DeleteModel(
                name='CampaignAnswer',
            ),
            migrations.DeleteModel(
                name='Campaign',
            ),
            migrations.DeleteModel(
                name='CampaignInvitation',
            ),
            ],
        ),
    ]
