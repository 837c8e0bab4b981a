"""Jira Service Management (Cloud): the admin webhook's own body, nothing templated.

Shape of the call: https://developer.atlassian.com/cloud/jira/platform/webhooks/ ("Example
callback for an issue-related event": timestamp, webhookEvent, issue_event_type_name, user,
issue, changelog with items of field / fieldtype / from / fromString / to / toString; the
X-Atlassian-Webhook-Identifier header, the same on every retry of one delivery; "Secure admin
webhooks": X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body> when a secret is set).
The issue's fields are those of the REST API's issue
(https://developer.atlassian.com/cloud/jira/platform/rest/v2/api-group-issues/#api-rest-api-2-issue-issueidorkey-get):
status.statusCategory.key is new / indeterminate / done, resolutiondate reads
2026-11-25T09:58:12.000+0000, reporter and assignee are users with emailAddress, displayName,
locale and timeZone. customfield_10001 is Atlassian's Team field (an object with a name).
Jira has no merge: a duplicate is resolved ("closed") like any other issue.
"""

from copy import deepcopy
from typing import Any

from .types import Sample

SOURCE = "https://developer.atlassian.com/cloud/jira/platform/webhooks/"

REPORTER = {
    "self": "https://example.atlassian.net/rest/api/2/user?accountId=5b10a2844c20165700ede21g",
    "accountId": "5b10a2844c20165700ede21g",
    "accountType": "atlassian",
    "emailAddress": "ann@example.org",
    "displayName": "Ann de Vries",
    "active": True,
    "timeZone": "Europe/Amsterdam",
    "locale": "nl_NL",
}
ASSIGNEE = {
    "self": "https://example.atlassian.net/rest/api/2/user?accountId=5b10ac8d82e05b22cc7d4ef5",
    "accountId": "5b10ac8d82e05b22cc7d4ef5",
    "accountType": "atlassian",
    "emailAddress": "sanne@example.org",
    "displayName": "Sanne Jansen",
    "active": True,
    "timeZone": "Europe/Amsterdam",
}
DONE = {
    "self": "https://example.atlassian.net/rest/api/2/status/10001",
    "name": "Done",
    "id": "10001",
    "statusCategory": {"id": 3, "key": "done", "colorName": "green", "name": "Done"},
}
IN_PROGRESS = {
    "self": "https://example.atlassian.net/rest/api/2/status/3",
    "name": "In Progress",
    "id": "3",
    "statusCategory": {
        "id": 4,
        "key": "indeterminate",
        "colorName": "yellow",
        "name": "In Progress",
    },
}


def _issue(status: dict[str, Any], resolutiondate: str | None, team: str) -> dict[str, Any]:
    return {
        "id": "10042",
        "self": "https://example.atlassian.net/rest/api/2/issue/10042",
        "key": "SD-123",
        "fields": {
            "summary": "Printer on floor 3 does not print",
            "created": "2026-11-24T14:02:44.000+0000",
            "project": {"id": "10000", "key": "SD", "name": "Service Desk"},
            "issuetype": {"id": "10003", "name": "Service Request"},
            "status": deepcopy(status),
            "resolution": {"id": "10000", "name": "Done"} if resolutiondate else None,
            "resolutiondate": resolutiondate,
            "reporter": deepcopy(REPORTER),
            "assignee": deepcopy(ASSIGNEE),
            "customfield_10001": {"id": "36885b3c-1bf0-4f85-a357-c5b858c31de4", "name": team},
        },
    }


def _call(event: str, type_name: str, issue: dict[str, Any], items: list) -> dict[str, Any]:
    body: dict[str, Any] = {
        "timestamp": 1795600800000,
        "webhookEvent": event,
        "issue_event_type_name": type_name,
        "user": deepcopy(ASSIGNEE),
        "issue": issue,
    }
    if items:
        body["changelog"] = {"id": "10205", "items": items}
    return body


def _headers(identifier: str) -> dict[str, str]:
    return {"X-Atlassian-Webhook-Identifier": identifier}


RESOLVED = [
    {
        "field": "resolution",
        "fieldtype": "jira",
        "fieldId": "resolution",
        "from": None,
        "fromString": None,
        "to": "10000",
        "toString": "Done",
    },
    {
        "field": "status",
        "fieldtype": "jira",
        "fieldId": "status",
        "from": "3",
        "fromString": "In Progress",
        "to": "10001",
        "toString": "Done",
    },
]
REOPENED = [
    {
        "field": "resolution",
        "fieldtype": "jira",
        "fieldId": "resolution",
        "from": "10000",
        "fromString": "Done",
        "to": None,
        "toString": None,
    },
    {
        "field": "status",
        "fieldtype": "jira",
        "fieldId": "status",
        "from": "10001",
        "fromString": "Done",
        "to": "3",
        "toString": "In Progress",
    },
]
REASSIGNED = [
    {
        "field": "assignee",
        "fieldtype": "jira",
        "fieldId": "assignee",
        "from": "5b10ac8d82e05b22cc7d4ef5",
        "fromString": "Sanne Jansen",
        "to": "5b109f2e9729b51b54dc274d",
        "toString": "Piet Bakker",
    },
]

_moved = _issue(DONE, "2026-11-25T09:58:12.000+0000", "Network")
_moved["fields"]["assignee"] = {
    **ASSIGNEE,
    "accountId": "5b109f2e9729b51b54dc274d",
    "emailAddress": "piet@example.org",
    "displayName": "Piet Bakker",
}

SAMPLES: list[Sample] = [
    {
        "name": "request moved to Done",
        "event": "closed",
        "source": SOURCE,
        "headers": _headers("jira-close-1"),
        "body": _call(
            "jira:issue_updated",
            "issue_generic",
            _issue(DONE, "2026-11-25T09:58:12.000+0000", "Workplace support"),
            RESOLVED,
        ),
    },
    {
        "name": "request moved back to In Progress",
        "event": "reopened",
        "source": SOURCE,
        "headers": _headers("jira-reopen-1"),
        "body": _call(
            "jira:issue_updated",
            "issue_reopened",
            _issue(IN_PROGRESS, None, "Workplace support"),
            REOPENED,
        ),
    },
    {
        "name": "done request given to another agent and team",
        "event": "reassigned",
        "source": SOURCE,
        "headers": _headers("jira-assign-1"),
        "body": _call("jira:issue_updated", "issue_assigned", _moved, REASSIGNED),
    },
    {
        "name": "request deleted",
        "event": "deleted",
        "source": SOURCE,
        "headers": _headers("jira-delete-1"),
        "body": _call(
            "jira:issue_deleted",
            "issue_deleted",
            _issue(DONE, "2026-11-25T09:58:12.000+0000", "Workplace support"),
            [],
        ),
    },
]
