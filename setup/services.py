"""Writes of the team set-up, each in one transaction with its line in the audit trail.

The audit names the section and the fields that changed, never their values: an exclusion list
or an agent's address is personal, and the fields say what an auditor needs to ask about."""

from typing import Any

from django.db import transaction
from django.forms import ModelForm
from django.utils.text import slugify

from audit.models import AuditEvent
from audit.services import audit_record
from surveys.models import Team


def settings_audit(
    *, actor, target: str, section: str, changed: list[str], ip: str | None = None, **extra: Any
) -> None:
    audit_record(
        action=AuditEvent.Action.SETTINGS_CHANGED,
        actor=actor,
        target=target,
        ip=ip,
        details={"section": section, "changed": sorted(changed), **extra},
    )


@transaction.atomic
def team_create(*, name: str, slug: str = "", actor, ip: str | None = None) -> Team:
    team = Team.objects.create(name=name, slug=slug or slugify(name)[:50])
    settings_audit(
        actor=actor, target=f"team {team.pk}", section="team", changed=["name", "slug"], ip=ip
    )
    return team


@transaction.atomic
def team_settings_save(
    *, form: ModelForm, team: Team, section: str, actor, ip: str | None = None
) -> bool:
    """Save a valid settings form of the team; False (and no audit line) when nothing changed."""
    if not form.has_changed() and form.instance.pk is not None:
        return False
    form.save()
    settings_audit(
        actor=actor, target=f"team {team.pk}", section=section, changed=form.changed_data, ip=ip
    )
    return True
