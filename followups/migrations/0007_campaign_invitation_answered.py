from django.db import migrations, models
from django.db.models import DateField
from django.db.models.functions import Cast


def keep_whether_not_when(apps, schema_editor):
    """Invitations say whether they were answered; those of anonymous campaigns lose the day,
    which matched the day their (unlinked) answer keeps and so paired the two up."""
    Invitation = apps.get_model("followups", "CampaignInvitation")
    Invitation.objects.filter(answered_on__isnull=False).update(answered=True)
    Invitation.objects.filter(campaign__anonymous=True).update(answered_on=None)


def back_to_a_day(apps, schema_editor):
    """The old code reads a day as "answered". The answer's day is gone for good; the day the
    invitation was sent keeps such links closed without telling when anyone answered."""
    Invitation = apps.get_model("followups", "CampaignInvitation")
    Invitation.objects.filter(answered=True, answered_on__isnull=True).update(
        answered_on=Cast("sent_at", DateField())
    )


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0006_campaigns"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaigninvitation",
            name="answered",
            field=models.BooleanField(default=False, verbose_name="answered"),
        ),
        migrations.RunPython(keep_whether_not_when, back_to_a_day),
    ]
