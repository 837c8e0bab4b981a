"""Writes of the team set-up, each in one transaction with its line in the audit trail.

The audit names the section and the fields that changed, never their values: an exclusion list
or an agent's address is personal, and the fields say what an auditor needs to ask about."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.forms import ModelForm
from django.utils.text import slugify

from accounts.services import agent_account_set
from audit.models import AuditEvent
from audit.services import audit_record
from scoring.targets import target_set
from surveys.models import Agent, Team

from .forms import AgentForm


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


@transaction.atomic
def agent_save(*, form: AgentForm, team: Team, actor, ip: str | None = None) -> list[str]:
    """Add an agent to the team or change one (name, address, linked account); returns the
    fields that changed, empty (and no audit line) when nothing did. The account's role change
    is audited by accounts (ROLE_CHANGED), this save by one SETTINGS_CHANGED line."""
    creating = form.instance.pk is None
    changed = list(form.changed_data)
    if not creating and not changed:
        return []
    agent = form.save(commit=False)
    agent.team = team
    agent.save()
    account = form.cleaned_data.get("account")
    agent_account_set(agent=agent, user=account, actor=actor)
    if creating:
        changed = sorted({*changed, "name", "email"})
    names = {"account": "user"}
    settings_audit(
        actor=actor,
        target=f"team {team.pk}",
        section="agents",
        changed=[names.get(name, name) for name in changed],
        ip=ip,
        agent=agent.pk,
    )
    return changed


@transaction.atomic
def agent_set_active(*, agent: Agent, active: bool, actor, ip: str | None = None) -> bool:
    """Switch an agent off (they left the team: their tickets and scores stay, their user
    account no longer opens their feedback) or on again. False when it already was."""
    if agent.active == active:
        return False
    changed = ["active"]
    if not active and agent.user_id is not None:
        agent_account_set(agent=agent, user=None, actor=actor)
        changed.append("user")
    agent.active = active
    agent.save(update_fields=["active"])
    settings_audit(
        actor=actor,
        target=f"team {agent.team_id}",
        section="agents",
        changed=changed,
        ip=ip,
        agent=agent.pk,
    )
    return True


def team_target_save(*, team: Team, value: Decimal | None, actor, ip: str | None = None) -> bool:
    """Set the team's target for its current question type's series; False (and no audit
    line) when it was that already."""
    changed = target_set(team=team, question_type=team.question_type, value=value)
    if changed:
        settings_audit(
            actor=actor, target=f"team {team.pk}", section="target", changed=["value"], ip=ip
        )
    return changed
