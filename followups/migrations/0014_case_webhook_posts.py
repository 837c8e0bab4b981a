# The chat webhook post of a case becomes a row of the delivery engine's outbox. Cases posted
# before keep their `webhook_posted_at` and get no row: nothing is posted again.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('followups', '0013_case_alerts'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseWebhookPost',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('planned', 'planned'), ('sending', 'sending'), ('sent', 'sent'), ('failed', 'failed'), ('suppressed', 'suppressed')], default='planned', max_length=12, verbose_name='status')),
                ('reason', models.CharField(blank=True, help_text='Why it failed or was suppressed.', max_length=255, verbose_name='reason')),
                ('send_after', models.DateTimeField(blank=True, null=True, verbose_name='send after')),
                ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='claimed at')),
                ('claimed_by', models.CharField(blank=True, editable=False, max_length=32)),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='webhook_post', to='followups.followupcase', verbose_name='case')),
            ],
            options={
                'verbose_name': 'chat alert',
                'verbose_name_plural': 'chat alerts',
                'ordering': ['-id'],
                'indexes': [models.Index(condition=models.Q(('status', 'planned')), fields=['send_after'], name='case_webhook_due_idx')],
            },
        ),
    ]
