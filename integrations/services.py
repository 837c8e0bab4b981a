"""Writes for connectors. Tickets themselves are closed by surveys (surveys/closing.py).

The settings area's writes are each one transaction with one SETTINGS_CHANGED audit line naming
the connector and the fields that changed, never a value: the secret and the tool's API token
are credentials, the team mapping may name people's groups."""

from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_record

from .connector_forms import ConnectorForm
from .models import Connector, new_secret
from .presets import PRESETS


def connector_apply_preset(*, connector: Connector) -> None:
    """Fill what the administrator left empty from the preset of the connector's tool."""
    preset = PRESETS[connector.kind]
    connector.source = connector.source or preset["source"]
    connector.scheme = connector.scheme or preset["scheme"]
    connector.mapping = connector.mapping or dict(preset["mapping"])
    connector.events = connector.events or list(preset["events"])


def connector_create(*, name: str, slug: str, kind: str, **fields) -> Connector:
    """A connector for a tool, starting from its preset; used by the admin and the tests."""
    connector = Connector(name=name, slug=slug, kind=kind, **fields)
    connector_apply_preset(connector=connector)
    connector.full_clean()
    connector.save()
    return connector


def _audit(*, connector: Connector, changed: list[str], actor, ip: str | None) -> None:
    audit_record(
        action=AuditEvent.Action.SETTINGS_CHANGED,
        actor=actor,
        target=f"connector {connector.pk}",
        ip=ip,
        details={"section": "connector", "changed": sorted(changed)},
    )


@transaction.atomic
def connector_save(*, form: ConnectorForm, actor, ip: str | None = None) -> list[str]:
    """Save a valid connector form (a new connector or a change); returns the fields that
    changed, empty (and no audit line) when nothing did."""
    creating = form.instance.pk is None
    changed = form.changed_fields()
    if not creating and not changed:
        return []
    connector = form.save(commit=False)
    connector_apply_preset(connector=connector)
    connector.save()
    if creating:
        changed = sorted({*changed, "name", "slug", "kind", "secret"})
    _audit(connector=connector, changed=changed, actor=actor, ip=ip)
    return changed


@transaction.atomic
def connector_set_active(
    *, connector: Connector, active: bool, actor, ip: str | None = None
) -> bool:
    """Switch a connector on or off; a disabled one answers its tool 404 (api/hooks.py).
    False when it already was."""
    if not Connector.objects.filter(pk=connector.pk).exclude(active=active).update(active=active):
        return False
    connector.active = active
    _audit(connector=connector, changed=["active"], actor=actor, ip=ip)
    return True


@transaction.atomic
def connector_new_secret(*, connector: Connector, actor, ip: str | None = None) -> str:
    """Replace the webhook secret with a new random one; returned to be shown once. The tool's
    calls are refused until the tool is given it."""
    connector.secret = new_secret()
    connector.save(update_fields=["secret"])
    _audit(connector=connector, changed=["secret"], actor=actor, ip=ip)
    return connector.secret
