"""Existing connectors learn where their tool sends the slice (category, priority, channel):
the preset's paths as they are now, added only where the connector maps no path of its own.
Nothing else in a mapping changes."""

from django.db import migrations

# Copied from integrations/presets.py as it was written (a migration must not change with it).
SLICE_PATHS = {
    "jira": {"category": "issue.fields.issuetype.name", "priority": "issue.fields.priority.name"},
    "zendesk": {
        "category": "ticket.ticket_type",
        "priority": "ticket.priority",
        "channel": "ticket.via",
    },
    "glpi": {"priority": "item.priority", "channel": "item.request_type.name"},
    "topdesk": {
        "category": "category.name",
        "priority": "priority.name",
        "channel": "entryType.name",
    },
    "servicenow": {"category": "category", "priority": "priority", "channel": "contact_type"},
    "freshservice": {
        "category": "freshdesk_webhook.ticket_category",
        "priority": "freshdesk_webhook.ticket_priority",
        "channel": "freshdesk_webhook.ticket_source",
    },
    "generic": {"category": "category", "priority": "priority", "channel": "channel"},
}


def add_paths(apps, schema_editor):
    Connector = apps.get_model("integrations", "Connector")
    for connector in Connector.objects.all():
        paths = SLICE_PATHS.get(connector.kind, {})
        mapping = dict(connector.mapping or {})
        missing = {key: path for key, path in paths.items() if key not in mapping}
        if missing:
            connector.mapping = {**mapping, **missing}
            connector.save(update_fields=["mapping"])


class Migration(migrations.Migration):
    dependencies = [("integrations", "0004_writeback")]
    operations = [migrations.RunPython(add_paths, migrations.RunPython.noop)]
