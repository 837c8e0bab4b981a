# Periodic surveys move here from followups (issue 15): the tables exist already (followups 0006
# to 0008 made them, db_table keeps their names), so this only tells Django that campaigns owns
# them, and moves their content types, so that permissions and the roles' groups keep them.

import campaigns.models
import django.db.models.deletion
from django.db import migrations, models


MODELS = ("campaign", "campaigninvitation", "campaignanswer")


def _relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def content_types_move(apps, schema_editor):
    _relabel(apps, "followups", "campaigns")


def content_types_back(apps, schema_editor):
    _relabel(apps, "campaigns", "followups")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('surveys', '0011_reseal_indexes'),
        ('followups', '0009_preference_moved'),
        # Made the administrator group's followups.campaign permissions, which move below.
        ('accounts', '0002_roles'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='Campaign',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=150, verbose_name='name')),
                        ('question_en', models.CharField(default='How likely are you to recommend the IT department to a colleague?', max_length=255, verbose_name='question (English)')),
                        ('question_nl', models.CharField(blank=True, default='Hoe waarschijnlijk is het dat u de IT-afdeling aanbeveelt bij een collega?', max_length=255, verbose_name='question (Dutch)')),
                        ('open_questions_en', models.TextField(blank=True, help_text='Up to three, one per line. Answers are optional for the requester.', verbose_name='open questions (English)')),
                        ('open_questions_nl', models.TextField(blank=True, help_text='The same questions in Dutch, in the same order; empty: the English ones.', verbose_name='open questions (Dutch)')),
                        ('anonymous', models.BooleanField(default=False, help_text='Answers are stored without any link to the requester and only by date.', verbose_name='anonymous')),
                        ('sample_size', models.PositiveIntegerField(default=200, verbose_name='sample size')),
                        ('lookback_days', models.PositiveSmallIntegerField(default=90, verbose_name='had a ticket in the last (days)')),
                        ('not_surveyed_days', models.PositiveSmallIntegerField(default=30, verbose_name='not surveyed in the last (days)')),
                        ('link_valid_days', models.PositiveSmallIntegerField(default=21, verbose_name='link valid (days)')),
                        ('seed', models.PositiveIntegerField(default=campaigns.models._seed, verbose_name='random seed')),
                        ('status', models.CharField(choices=[('draft', 'draft'), ('running', 'running')], default='draft', max_length=8, verbose_name='status')),
                        ('launched_at', models.DateTimeField(blank=True, null=True, verbose_name='launched at')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                    ],
                    options={
                        'verbose_name': 'periodic survey',
                        'verbose_name_plural': 'periodic surveys',
                        'db_table': 'followups_campaign',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='CampaignInvitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('planned', 'planned'), ('sending', 'sending'), ('sent', 'sent'), ('failed', 'failed')], default='planned', max_length=8, verbose_name='status')),
                        ('token_hash', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                        ('expires_at', models.DateTimeField(blank=True, null=True, verbose_name='expires at')),
                        ('answered', models.BooleanField(default=False, verbose_name='answered')),
                        ('answered_on', models.DateField(blank=True, null=True, verbose_name='answered on')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='campaigns.campaign', verbose_name='periodic survey')),
                        ('requester', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='campaign_invitations', to='surveys.requester', verbose_name='requester')),
                    ],
                    options={
                        'verbose_name': 'periodic survey invitation',
                        'verbose_name_plural': 'periodic survey invitations',
                        'db_table': 'followups_campaigninvitation',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='CampaignAnswer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.PositiveSmallIntegerField(verbose_name='score')),
                        ('answer_1', models.TextField(blank=True, max_length=5000, verbose_name='answer 1')),
                        ('answer_2', models.TextField(blank=True, max_length=5000, verbose_name='answer 2')),
                        ('answer_3', models.TextField(blank=True, max_length=5000, verbose_name='answer 3')),
                        ('answered_on', models.DateField(verbose_name='answered on')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='campaigns.campaign', verbose_name='periodic survey')),
                        ('invitation', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='answer', to='campaigns.campaigninvitation', verbose_name='invitation')),
                    ],
                    options={
                        'verbose_name': 'periodic survey answer',
                        'verbose_name_plural': 'periodic survey answers',
                        'db_table': 'followups_campaignanswer',
                        'ordering': ['answered_on', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='campaigninvitation',
                    index=models.Index(condition=models.Q(('sent_at__isnull', False)), fields=['requester', 'sent_at'], name='campaign_inv_recent_idx'),
                ),
                migrations.AddConstraint(
                    model_name='campaigninvitation',
                    constraint=models.UniqueConstraint(fields=('campaign', 'requester'), name='campaign_invitation_once'),
                ),
                migrations.AddConstraint(
                    model_name='campaignanswer',
                    constraint=models.CheckConstraint(condition=models.Q(('score__gte', 0), ('score__lte', 10)), name='campaign_answer_0_10'),
                ),
            ],
        ),
        migrations.RunPython(content_types_move, content_types_back),
    ]
