"""Writes for connectors. Tickets themselves are closed by surveys (surveys/closing.py)."""

from .models import Connector
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
