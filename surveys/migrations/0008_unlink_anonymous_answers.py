"""Existing answers of anonymous teams move to the unlinked form (surveys/unlinked.py).

Until now an anonymous team's answers only had their person hidden on the pages. Here each one
loses its invitation (and so its ticket and requester), keeps only its day, and its invitation
keeps only that it was answered. No link token is known here, so these answers can no longer
be changed through their e-mail's link; their scores, days and the rollups stay as they were.
"""

from datetime import datetime, time

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def _midnight(instant, zone):
    day = timezone.localtime(instant, zone).date()
    return datetime.combine(day, time.min, tzinfo=zone)


def unlink(apps, schema_editor):
    Response = apps.get_model("surveys", "Response")
    Invitation = apps.get_model("surveys", "Invitation")
    LinkClick = apps.get_model("surveys", "LinkClick")
    zone = timezone.get_default_timezone() if settings.USE_TZ else None
    answers = Response.objects.filter(team__anonymous=True, invitation__isnull=False)
    for response in answers.only("id", "invitation_id", "created_at", "updated_at").iterator(
        chunk_size=2000
    ):
        invitation_id = response.invitation_id
        Response.objects.filter(pk=response.pk).update(
            invitation=None,
            link_key=None,
            created_at=_midnight(response.created_at, zone),
            updated_at=_midnight(response.updated_at, zone),
        )
        Invitation.objects.filter(pk=invitation_id).update(answered_at=None)
        LinkClick.objects.filter(invitation_id=invitation_id).update(score=None)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0007_unlinked_answers")]

    operations = [migrations.RunPython(unlink, migrations.RunPython.noop)]
