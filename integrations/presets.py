"""How each supported helpdesk sends a ticket, as data: scheme, field paths, event rules.

An administrator picks a kind; the connector starts from that preset and may then change any
path (dotted or JSON pointer) to fit the tool's own configuration. The matching step-by-step
guides are docs/integrations/<kind>.md; integrations/samples/ holds the calls each tool
documents, which the tests and the "send test event" button run through these presets.
"""

from typing import Any

FIELDS = (
    "external_id",
    "subject",
    "requester_email",
    "requester_name",
    "requester_language",
    "requester_time_zone",
    "requester_department",
    "agent_email",
    "agent_name",
    "closed_at",
    "team",
    "category",
    "priority",
    "channel",
)
EVENTS = ("closed", "reopened", "reassigned", "merged", "deleted")

# An explicit "event" field in a body template wins over status-based rules (merges, deletes
# and reassignments are separate triggers in most tools).
_EXPLICIT = {
    "path": "event",
    "values": {event: event for event in EVENTS},
}

# GLPI ticket status: 1 new, 2 assigned, 3 planned, 4 waiting, 5 solved, 6 closed.
GLPI_STATUS = {str(n): "reopened" for n in range(1, 5)} | {"5": "closed", "6": "closed"}

PRESETS: dict[str, dict[str, Any]] = {
    "jira": {
        "source": "jira",
        "scheme": "hub",
        "mapping": {
            "external_id": "issue.key",
            "subject": "issue.fields.summary",
            "requester_email": "issue.fields.reporter.emailAddress",
            "requester_name": "issue.fields.reporter.displayName",
            "requester_language": "issue.fields.reporter.locale",
            "requester_time_zone": "issue.fields.reporter.timeZone",
            "agent_email": "issue.fields.assignee.emailAddress",
            "agent_name": "issue.fields.assignee.displayName",
            "closed_at": "issue.fields.resolutiondate",
            "team": "issue.fields.customfield_10001.name",
            "category": "issue.fields.issuetype.name",
            "priority": "issue.fields.priority.name",
        },
        "events": [
            {"path": "webhookEvent", "values": {"jira:issue_deleted": "deleted"}},
            {"path": "changelog.items.0.field", "values": {"assignee": "reassigned"}},
            {
                "path": "issue.fields.status.statusCategory.key",
                "values": {"done": "closed", "indeterminate": "reopened", "new": "reopened"},
            },
        ],
    },
    "zendesk": {
        # Triggers send the body of docs/integrations/zendesk.md; a second webhook subscribed to
        # Zendesk's ticket events (merged, deleted) sends Zendesk's own, with the id in detail.
        "source": "zendesk",
        "scheme": "zendesk",
        "mapping": {
            "external_id": "ticket.id | detail.id",
            "subject": "ticket.title",
            "requester_email": "ticket.requester.email",
            "requester_name": "ticket.requester.name",
            "requester_language": "ticket.requester.language",
            "agent_email": "ticket.assignee.email",
            "agent_name": "ticket.assignee.name",
            "closed_at": "ticket.updated_at",
            "team": "ticket.group",
            "category": "ticket.ticket_type",
            "priority": "ticket.priority",
            "channel": "ticket.via",
        },
        "events": [
            {
                "path": "type",
                "values": {
                    "zen:event-type:ticket.merged": "merged",
                    "zen:event-type:ticket.soft_deleted": "deleted",
                    "zen:event-type:ticket.permanently_deleted": "deleted",
                },
            },
            _EXPLICIT,
            {
                "path": "ticket.status",
                "values": {
                    "solved": "closed",
                    "closed": "closed",
                    "new": "reopened",
                    "open": "reopened",
                    "pending": "reopened",
                    "hold": "reopened",
                    "on-hold": "reopened",
                    "deleted": "deleted",
                },
            },
        ],
    },
    "glpi": {
        # GLPI 11's default webhook payload (integrations/samples/glpi.py): the ticket as its
        # API v2 gives it. No solve date (a close is dated when it arrives) and no e-mail
        # address: the requester is the team member with role "requester", whose login is
        # read as the address (GLPI with LDAP or SSO logs people in by e-mail). The category
        # stands for the team: API v2 lists assigned groups and technicians in one `team`.
        "source": "glpi",
        "scheme": "glpi",
        "mapping": {
            "external_id": "item.id",
            "subject": "item.name",
            "requester_email": "item.team[role=requester].name",
            "requester_name": "item.team[role=requester].display_name",
            "team": "item.category.name",
            "priority": "item.priority",
            "channel": "item.request_type.name",
        },
        "events": [
            {"path": "event", "values": {"delete": "deleted", "purge": "deleted"}},
            _EXPLICIT,
            {
                # API v2 gives the status as {"id": 5, "name": "Solved"}; a custom payload may
                # send the bare number.
                "path": "item.status.id",
                "values": GLPI_STATUS,
            },
            {"path": "item.status", "values": GLPI_STATUS},
        ],
    },
    "topdesk": {
        # An action sequence sends fixed headers only: it cannot compute a signature.
        "source": "topdesk",
        "scheme": "bearer",
        "mapping": {
            "external_id": "number",
            "subject": "briefDescription",
            "requester_email": "caller.email",
            "requester_name": "caller.dynamicName",
            "requester_language": "caller.language",
            "agent_email": "operator.email",
            "agent_name": "operator.name",
            "closed_at": "closedDate",
            "team": "operatorGroup.name",
            "category": "category.name",
            "priority": "priority.name",
            "channel": "entryType.name",
        },
        "events": [
            _EXPLICIT,
            {"path": "closed", "values": {"true": "closed", "false": "reopened"}},
        ],
    },
    "servicenow": {
        # The guide's business rule sends the secret as a bearer token (docs/integrations).
        "source": "servicenow",
        "scheme": "bearer",
        "mapping": {
            "external_id": "number",
            "subject": "short_description",
            "requester_email": "caller.email",
            "requester_name": "caller.name",
            "requester_language": "caller.language",
            "agent_email": "assigned_to.email",
            "agent_name": "assigned_to.name",
            "closed_at": "closed_at",
            "team": "assignment_group",
            "category": "category",
            "priority": "priority",
            "channel": "contact_type",
        },
        "events": [
            _EXPLICIT,
            {
                # Incident state: 1 new, 2 in progress, 3 on hold, 6 resolved, 7 closed, 8 canceled.
                "path": "state",
                "values": {
                    "6": "closed",
                    "7": "closed",
                    "8": "deleted",
                    "1": "reopened",
                    "2": "reopened",
                    "3": "reopened",
                },
            },
        ],
    },
    "freshservice": {
        "source": "freshservice",
        "scheme": "bearer",
        "mapping": {
            "external_id": "freshdesk_webhook.ticket_id",
            "subject": "freshdesk_webhook.ticket_subject",
            "requester_email": "freshdesk_webhook.ticket_requester_email",
            "requester_name": "freshdesk_webhook.ticket_requester_name",
            "requester_language": "freshdesk_webhook.ticket_requester_language",
            "agent_email": "freshdesk_webhook.ticket_agent_email",
            "agent_name": "freshdesk_webhook.ticket_agent_name",
            "closed_at": "freshdesk_webhook.ticket_closed_at",
            "team": "freshdesk_webhook.ticket_group_name",
            "category": "freshdesk_webhook.ticket_category",
            "priority": "freshdesk_webhook.ticket_priority",
            "channel": "freshdesk_webhook.ticket_source",
        },
        "events": [
            {"path": "freshdesk_webhook.event", "values": {e: e for e in EVENTS}},
            {
                "path": "freshdesk_webhook.ticket_status",
                "values": {
                    "closed": "closed",
                    "resolved": "closed",
                    "open": "reopened",
                    "pending": "reopened",
                },
            },
        ],
    },
    "generic": {
        "source": "script",
        "scheme": "generic",
        "mapping": {
            "external_id": "external_id",
            "subject": "subject",
            "requester_email": "requester.email",
            "requester_name": "requester.name",
            "requester_language": "requester.language",
            "requester_time_zone": "requester.time_zone",
            "requester_department": "requester.department",
            "agent_email": "agent.email",
            "agent_name": "agent.name",
            "closed_at": "closed_at",
            "team": "team",
            "category": "category",
            "priority": "priority",
            "channel": "channel",
        },
        "events": [_EXPLICIT, {"default": "closed"}],
    },
}


# Tools that send a priority as a number: what each number means there (a word is read by
# surveys.slices). GLPI: 1 very low … 5 very high, 6 major; ServiceNow: 1 critical … 5
# planning; Freshservice: 1 low … 4 urgent.
PRIORITY_NUMBERS: dict[str, dict[str, str]] = {
    "glpi": {"1": "low", "2": "low", "3": "normal", "4": "high", "5": "urgent", "6": "urgent"},
    "servicenow": {"1": "urgent", "2": "high", "3": "normal", "4": "low", "5": "low"},
    "freshservice": {"1": "low", "2": "normal", "3": "high", "4": "urgent"},
}
