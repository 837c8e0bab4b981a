# Periodic-survey invitations become rows of the delivery engine's outbox (delivery.engine.Outgoing):
# a send time, a claim, attempts and a reason.

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone


def outbox_fill(apps, schema_editor):
    Invitation = apps.get_model("campaigns", "CampaignInvitation")
    Campaign = apps.get_model("campaigns", "Campaign")
    launched = Subquery(Campaign.objects.filter(pk=OuterRef("campaign_id")).values("launched_at"))
    # Planned rows are due since their campaign's launch: the engine sends them at its next tick.
    Invitation.objects.filter(status="planned").update(send_after=launched)
    Invitation.objects.filter(status="planned", send_after__isnull=True).update(
        send_after=timezone.now()
    )
    # The old sender left a row in "sending" for ever when its worker died: now it counts as
    # claimed at the upgrade, so the engine's reclaim puts it back in line after the timeout.
    # (Whether its e-mail left before the worker died is unknown; sending it again risks one
    # duplicate, where leaving it would ask nobody.)
    Invitation.objects.filter(status="sending").update(
        claimed_at=timezone.now(), send_after=launched
    )


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('surveys', '0011_reseal_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='campaigninvitation',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='attempts'),
        ),
        migrations.AddField(
            model_name='campaigninvitation',
            name='claimed_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='claimed at'),
        ),
        migrations.AddField(
            model_name='campaigninvitation',
            name='claimed_by',
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name='campaigninvitation',
            name='reason',
            field=models.CharField(blank=True, help_text='Why it failed or was suppressed.', max_length=255, verbose_name='reason'),
        ),
        migrations.AddField(
            model_name='campaigninvitation',
            name='send_after',
            field=models.DateTimeField(blank=True, null=True, verbose_name='send after'),
        ),
        migrations.AlterField(
            model_name='campaigninvitation',
            name='status',
            field=models.CharField(choices=[('planned', 'planned'), ('sending', 'sending'), ('sent', 'sent'), ('failed', 'failed'), ('suppressed', 'suppressed')], default='planned', max_length=12, verbose_name='status'),
        ),
        migrations.AddIndex(
            model_name='campaigninvitation',
            index=models.Index(condition=models.Q(('status', 'planned')), fields=['send_after'], name='campaign_inv_due_idx'),
        ),
        migrations.AddIndex(
            model_name='campaigninvitation',
            index=models.Index(condition=models.Q(('status', 'sending')), fields=['claimed_at'], name='campaign_inv_sending_idx'),
        ),
        migrations.RunPython(outbox_fill, migrations.RunPython.noop),
    ]
