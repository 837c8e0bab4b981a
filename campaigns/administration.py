"""The settings area's writes on periodic surveys: save a draft, launch it now, cancel it. Each is
one transaction with its SETTINGS_CHANGED line in the audit trail (the fields that changed,
never their values), as every settings section writes (setup/__init__.py).

Only a draft changes here: what was put to the people asked stays as they saw it. The row is
locked first, so a beat tick launching the draft at the same moment either came before (and the
edit is refused) or waits for the edit (and launches what was saved)."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.forms import ModelForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from audit.services import audit_record

from .models import Campaign, CampaignInvitation, CampaignReminder
from .services import campaign_launch, campaign_save, eligible_requester_ids

SECTION = "periodic-surveys"
# Why the invitations and reminders still waiting were not sent (the delivery page shows it).
CANCELLED = "survey cancelled"


class NotADraft(Exception):
    """Launched (or removed) meanwhile, by the beat or someone else: the change was not made."""

    message = _("This survey has been launched; it can no longer be changed.")


class AlreadyFinished(Exception):
    """Its period is over: there is nothing left to cancel."""

    message = _("This survey has finished; there is nothing left to cancel.")


class NobodyToAsk(Exception):
    """Nobody is in the audience today: launching would send nothing."""

    message = _(
        "Nobody is in this survey's audience today: no requester had a ticket closed in the "
        "period who was not surveyed recently. Widen the period or wait."
    )


def _audit(
    *, campaign_id: int, actor: Any, changed: list[str], ip: str | None, **extra: Any
) -> None:
    audit_record(
        action=AuditEvent.Action.SETTINGS_CHANGED,
        actor=actor,
        target=f"periodic survey {campaign_id}",
        ip=ip,
        details={"section": SECTION, "changed": sorted(changed), **extra},
    )


def _lock_draft(campaign: Campaign) -> None:
    if not Campaign.objects.select_for_update().filter(pk=campaign.pk, status="draft").exists():
        raise NotADraft


def campaign_settings_save(
    *, form: "ModelForm[Campaign]", actor: Any, ip: str | None = None
) -> bool:
    """Save a valid set-up form: a new draft, or changes to a draft. False (and no audit line)
    when an existing draft did not change."""
    campaign = form.instance
    adding = campaign._state.adding
    if not adding and not form.has_changed():
        return False
    with transaction.atomic():
        if not adding:
            _lock_draft(campaign)
        campaign_save(campaign=campaign)
        _audit(campaign_id=campaign.pk, actor=actor, changed=form.changed_data, ip=ip)
    return True


def campaign_audience_size(campaign: Campaign, now: datetime) -> int:
    """How many requesters would be in the audience if it launched now."""
    return len(eligible_requester_ids(campaign, now))


def campaign_launch_now(
    *, campaign: Campaign, actor: Any, ip: str | None = None, now: datetime | None = None
) -> int:
    """Launch a draft at once (its launch date, if any, is not waited for); returns how many
    requesters were chosen. Refuses an empty audience: a launched survey cannot be edited, so
    one sent to nobody could only be cancelled."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_draft(campaign)
        if not campaign_audience_size(campaign, now):
            raise NobodyToAsk
        chosen = campaign_launch(campaign=campaign, now=now)
        _audit(campaign_id=campaign.pk, actor=actor, changed=["status"], ip=ip, launched=chosen)
    return chosen


def campaign_cancel(
    *, campaign: Campaign, actor: Any, ip: str | None = None, now: datetime | None = None
) -> str:
    """Cancel a survey: a draft (scheduled or not) is removed, which also ends its series; a
    running one stops sending (invitations and reminders still waiting are suppressed; links
    already sent work until they expire) and is finished. Returns "removed" or "stopped"."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        if locked is None:
            raise NotADraft
        if locked.status == Campaign.Status.DRAFT:
            locked.delete()
            _audit(campaign_id=campaign.pk, actor=actor, changed=["status"], ip=ip, removed=True)
            return "removed"
        if locked.status == Campaign.Status.FINISHED:
            raise AlreadyFinished
        waiting = {"status": CampaignInvitation.Status.PLANNED}
        suppress = {"status": CampaignInvitation.Status.SUPPRESSED, "reason": CANCELLED}
        CampaignInvitation.objects.filter(campaign=locked, **waiting).update(**suppress)
        CampaignReminder.objects.filter(invitation__campaign=locked, **waiting).update(**suppress)
        Campaign.objects.filter(pk=locked.pk).update(
            status=Campaign.Status.FINISHED, finished_at=now
        )
        _audit(campaign_id=campaign.pk, actor=actor, changed=["status"], ip=ip, stopped=True)
    return "stopped"
