"""Writes for user accounts in the settings area, each in one transaction: the account's own
fields with one ACCOUNT_CHANGED audit line (field names, never a value), its roles through
accounts.services (each change its own ROLE_CHANGED line). Accounts are deactivated, never
deleted: the audit trail and their tickets keep pointing at them.

Nobody removes the last administrator: a change that would leave no active account with the
administrator role is refused, checked with the administrators' rows locked so that two
administrators removing each other at the same moment cannot both succeed."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from accounts.models import Preference
from accounts.roles import GLOBAL_ROLES, Role
from accounts.services import role_grant, role_revoke, roles_of, roles_set
from audit.models import AuditEvent
from audit.services import audit_record
from surveys.models import Agent

from .account_forms import AccountForm

User = get_user_model()


class LastAdministrator(Exception):
    """The change would leave ITPulse without an active administrator."""


def _audit(*, user, actor, changed: list[str], ip: str | None) -> None:
    audit_record(
        action=AuditEvent.Action.ACCOUNT_CHANGED,
        actor=actor,
        target=f"user {user.pk}",
        ip=ip,
        details={"section": "accounts", "changed": sorted(changed)},
    )


def _keep_an_administrator(user) -> None:
    """Raise LastAdministrator unless another active account holds the administrator role."""
    administrators = list(
        User.objects.select_for_update()
        .filter(groups__name=Role.ADMINISTRATOR.value, is_active=True)
        .values_list("pk", flat=True)
    )
    if user.pk in administrators and len(administrators) == 1:
        raise LastAdministrator


def _roles_save(*, user, form: AccountForm, actor) -> None:
    data = form.cleaned_data
    roles_set(
        user=user,
        roles=[Role(value) for value in data["roles"]],
        lead_teams=data["lead_teams"],
        actor=actor,
    )
    if "agent_team" in form.changed_data or (form.instance.pk is None and data["agent_team"]):
        if Agent.objects.filter(user=user).exists():
            role_revoke(user=user, role=Role.AGENT, actor=actor)
        if data["agent_team"] is not None:
            role_grant(user=user, role=Role.AGENT, team=data["agent_team"], actor=actor)


@transaction.atomic
def account_create(*, form: AccountForm, actor, ip: str | None = None):
    """A new account with its roles and language, and no password: the person sets one through
    the one-time link (set_password_link) or signs in through single sign-on."""
    user = form.save(commit=False)
    user.set_unusable_password()
    user.save()
    Preference.objects.create(user=user, language=form.cleaned_data["language"])
    _audit(user=user, actor=actor, changed=[*form.Meta.fields, "language"], ip=ip)
    _roles_save(user=user, form=form, actor=actor)
    return user


@transaction.atomic
def account_update(*, form: AccountForm, actor, ip: str | None = None) -> list[str]:
    """Save a valid form of an existing account; the fields that changed (empty: nothing)."""
    changed = list(form.changed_data)
    if not changed:
        return []
    user = form.instance
    wanted = {Role(value) for value in form.cleaned_data.get("roles", [])}
    if not form.own and Role.ADMINISTRATOR in roles_of(user) - wanted:
        _keep_an_administrator(user)
    own_fields = [name for name in changed if name in form.Meta.fields]
    if own_fields:
        form.save()
    if "language" in changed:
        Preference.objects.update_or_create(
            user=user, defaults={"language": form.cleaned_data["language"]}
        )
    account_changes = [name for name in changed if name in {*own_fields, "language"}]
    if account_changes:
        _audit(user=user, actor=actor, changed=account_changes, ip=ip)
    if not form.own and form.role_fields_changed():
        _roles_save(user=user, form=form, actor=actor)
    return changed


@transaction.atomic
def account_set_active(*, user, active: bool, actor, ip: str | None = None) -> bool:
    """Deactivate (they can no longer sign in; a running session ends at its next request) or
    reactivate an account. False when it already was."""
    if user.is_active == active:
        return False
    if not active and Role.ADMINISTRATOR in (roles_of(user) & GLOBAL_ROLES):
        _keep_an_administrator(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    _audit(user=user, actor=actor, changed=["is_active"], ip=ip)
    return True


def set_password_link(*, user, actor, ip: str | None = None) -> str:
    """A link with which the person sets their password once (allauth's password reset from a
    key: it stops working when the password is set, and after PASSWORD_RESET_TIMEOUT). Shown to
    the administrator once, never stored or logged; making one is in the audit trail."""
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    _audit(user=user, actor=actor, changed=["password_link"], ip=ip)
    return settings.ITPULSE_BASE_URL + path
