"""The OpenAPI 3 description of ITPulse's API, served at /api/v1/openapi.json.

Written by hand next to the code it describes (the views are plain Django functions); CI
checks it against the running app with schemathesis (tests/test_openapi.py).
"""

from django.conf import settings

from . import openapi_answers

_ERRORS = {"$ref": "#/components/schemas/Errors"}
_TEXT = {"type": "string"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ERRORS}}}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _text(max_length: int, description: str, **extra: object) -> dict:
    return {"type": "string", "maxLength": max_length, "description": description, **extra}


UNAUTHORISED = _error("No or wrong bearer token, or one that has expired or been revoked.")
RATE_LIMITED = {
    **_error(
        "Over the token's rate (ITPULSE_API_RATE, default 600 a minute, counted across all "
        "web workers). Retry-After says when the window ends."
    ),
    "headers": {
        "Retry-After": {
            "description": "Seconds until calls are taken again.",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}


def _forbidden(scope: str) -> dict:
    return _error(f"The token lacks the scope {scope}; the message names it.")


WRITE, READ = "tickets:write", "results:read"
TOO_LARGE = _error("The body is larger than allowed; refused before it is read.")
DATE = {"type": "string", "format": "date", "example": "2026-11-01"}

SCHEMAS = {
    "Errors": {
        "type": "object",
        "required": ["errors"],
        "properties": {
            "errors": {
                "type": "object",
                "description": "Field name (dotted for nested fields) → messages.",
                "additionalProperties": {"type": "array", "items": _TEXT},
            }
        },
    },
    "Requester": {
        "type": "object",
        "required": ["email"],
        "properties": {
            "email": _text(254, "Gets the survey.", format="email", example="ann@example.org"),
            "name": _text(150, "Shown in the e-mail.", example="Ann de Vries"),
            "language": {
                "type": "string",
                "description": "en or nl (also nl-BE, en_GB, Nederlands); picks the e-mail's "
                "language, unless the person chose one on the survey page. Any other language "
                "(de, fr) falls back to the organisation's (LANGUAGE_CODE); the ticket is "
                "accepted.",
                "example": "nl",
            },
            "time_zone": _text(64, "IANA zone for office hours.", example="Europe/Amsterdam"),
            "department": _text(
                100,
                "For IT's opt-in ratings of its customers, only ever shown per department.",
                example="Finance",
            ),
        },
    },
    "Agent": {
        "type": "object",
        "required": ["email"],
        "properties": {
            "email": _text(254, "Who gave the service.", format="email"),
            "name": _text(150, "Shown in the e-mail if the team allows it."),
        },
    },
    "ClosedTicket": {
        "type": "object",
        "required": ["source", "external_id", "team", "requester", "closed_at"],
        "properties": {
            "source": _text(50, "The helpdesk tool.", example="jira"),
            "external_id": _text(100, "The tool's ticket id.", example="SD-123"),
            "subject": _text(255, "Shown in the e-mail.", example="Printer on floor 3"),
            "team": {
                "type": "string",
                "description": "Slug of an ITPulse team (GET /api/v1/teams/).",
                "example": "workplace",
            },
            "requester": {"$ref": "#/components/schemas/Requester"},
            "agent": {"$ref": "#/components/schemas/Agent"},
            "category": _text(
                100,
                "Optional: the tool's category, for the dashboard's slices; stored in one "
                "spelling (spaces collapsed, lower case), at most 50 characters then. Absent: "
                "unknown.",
                example="VPN access",
            ),
            "priority": {
                "type": "string",
                "description": "Optional: low, normal, high or urgent; a helpdesk's word for "
                "one is read too (lowest, medium, moderate, critical, highest, 1 - Critical, "
                "hoog, spoed…). Any other word: 400. Absent: unknown.",
                "example": "high",
            },
            "channel": {
                "type": "string",
                "description": "Optional: how the ticket came in: email, phone, portal, chat, "
                "walk_in or other; a helpdesk's word for one is read too (e-mail, phone call, "
                "web form, self-service, walk-in, telefoon…). Any other word: 400. Absent: "
                "unknown.",
                "example": "portal",
            },
            "closed_at": {
                "type": ["string", "number"],
                "description": "ISO 8601 with or without a zone (none: the organisation's, "
                "TIME_ZONE), a space for T, +0100 without a colon, or a date alone; or Unix "
                "time in seconds or milliseconds (a number, or digits in a string). Not in the "
                "future. Closed more than ITPULSE_MAX_TICKET_AGE_DAYS ago: registered, not "
                "surveyed.",
                "example": "2026-11-25T10:00:00Z",
            },
        },
    },
    "TicketResult": {
        "type": "object",
        "required": ["ticket", "invitation"],
        "properties": {
            "ticket": {
                "type": "object",
                "properties": {
                    "source": _TEXT,
                    "external_id": _TEXT,
                    "subject": _TEXT,
                    "team": _TEXT,
                    "closed_at": {"type": "string", "format": "date-time"},
                    "category": _TEXT,
                    "priority": _TEXT,
                    "channel": _TEXT,
                },
            },
            "invitation": {
                "type": "object",
                "properties": {
                    "status": {
                        "type": ["string", "null"],
                        "description": "planned, sending, sent, answered, expired, failed, "
                        "suppressed or too_old (closed more than ITPULSE_MAX_TICKET_AGE_DAYS "
                        "before it arrived: registered, never surveyed). An anonymous team's "
                        "survey never reads answered: sent while its link is valid, expired "
                        "after.",
                    },
                    "reason": {"type": "string", "description": "Why suppressed or failed."},
                },
            },
        },
    },
    "TicketEvent": {
        "type": "object",
        "required": ["event"],
        "properties": {
            "event": {
                "type": "string",
                "enum": ["reopened", "reassigned", "merged", "deleted"],
                "description": "reopened cancels a survey not sent yet (closing the ticket "
                "again plans it again, with the team's full send delay from the new close); "
                "reassigned moves a survey not sent yet (also while reopened) to the team "
                "and/or agent given; merged and deleted cancel it. A sent survey stays.",
            },
            "team": {
                "type": "string",
                "description": "Slug of the new team (reassigned; without it the ticket's "
                "team stays and only the agent changes).",
                "example": "network",
            },
            "agent": {"$ref": "#/components/schemas/Agent"},
            "at": {
                "type": ["string", "number"],
                "description": "When it happened, read as closed_at is. An event before the "
                "ticket's last close (delivered late) changes nothing.",
                "example": "2026-11-25T11:00:00Z",
            },
        },
    },
    "EventResult": {
        "allOf": [
            {"$ref": "#/components/schemas/TicketResult"},
            {
                "type": "object",
                "required": ["event", "result", "reason"],
                "properties": {
                    "event": _TEXT,
                    "result": {
                        "type": "string",
                        "enum": ["changed", "unchanged"],
                        "description": "unchanged: no survey waiting (sent already, cancelled "
                        "already, or a repeat of this event), or an event before the last close.",
                    },
                    "reason": {"type": "string", "description": "Why unchanged."},
                },
            },
        ]
    },
    "BatchItemResult": {
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {"type": "integer", "enum": [200, 201, 400]},
            "ticket": {"type": "object"},
            "invitation": {"type": "object"},
            "errors": {"type": "object"},
        },
    },
    "Score": {
        "type": "object",
        "description": "The score of one series: the answers on one question type's scale. "
        "Every kind's fields are always present, null where they are not this series' kind; "
        "margin_of_error is in the headline's unit (NPS points, CSAT percentage points, or "
        "CES points on 1–7).",
        "properties": {
            "question_type": {
                "type": "string",
                "enum": ["nps", "service", "effort"],
                "description": "The scale of this series: nps 0–10, service (CSAT) 1–5, "
                "effort (CES) 1–7.",
            },
            "scale": {
                "type": "object",
                "properties": {"low": {"type": "integer"}, "high": {"type": "integer"}},
            },
            "response_rate": {
                "type": ["number", "null"],
                "minimum": 0,
                "maximum": 1,
                "description": "answered / sent of the surveys sent in the period (counted by "
                "the day they were sent, so never above 1); null when none were sent. Kept when "
                "the score is withheld: it tells nobody's answer.",
            },
            "sent": {"type": "integer", "description": "Surveys sent in the period."},
            "answered": {"type": "integer", "description": "Of those, answered."},
            "nps": {"type": ["integer", "null"], "minimum": -100, "maximum": 100},
            "csat": {
                "type": ["integer", "null"],
                "minimum": 0,
                "maximum": 100,
                "description": "% of answers 4 or 5 (service); null below 5 responses.",
            },
            "ces": {
                "type": ["number", "null"],
                "minimum": 1,
                "maximum": 7,
                "description": "Mean answer, one decimal (effort); null below 10 responses.",
            },
            "easy_share": {
                "type": ["integer", "null"],
                "description": "% of answers 5–7 (effort).",
            },
            "easy_share_margin_of_error": {"type": ["number", "null"]},
            "margin_of_error": {"type": ["number", "null"]},
            "responses": {"type": ["integer", "null"]},
            "promoters": {"type": ["integer", "null"]},
            "passives": {"type": ["integer", "null"]},
            "detractors": {"type": ["integer", "null"]},
            "satisfied": {"type": ["integer", "null"], "description": "Answers 4–5 (service)."},
            "neutral": {
                "type": ["integer", "null"],
                "description": "Answers 3 (service) or 4 (effort).",
            },
            "dissatisfied": {"type": ["integer", "null"], "description": "Answers 1–2 (service)."},
            "easy": {"type": ["integer", "null"], "description": "Answers 5–7 (effort)."},
            "difficult": {"type": ["integer", "null"], "description": "Answers 1–3 (effort)."},
            "withheld": {
                "type": "boolean",
                "description": "An anonymous team's group of fewer than ITPULSE_MIN_GROUP "
                "distinct people: no score and no counts are given.",
            },
        },
    },
}

_SINCE_UNTIL = [
    {"name": "since", "in": "query", "schema": DATE, "description": "First day (inclusive)."},
    {"name": "until", "in": "query", "schema": DATE, "description": "Last day (inclusive)."},
]
_SCALE = {
    "name": "scale",
    "in": "query",
    "schema": {"type": "string", "enum": ["nps", "service", "effort"]},
    "description": "The series of this question type instead of the team's current one.",
}
_SLICE = [
    {
        "name": "category",
        "in": "query",
        "schema": {"type": "string", "maxLength": 100},
        "description": "Only tickets of this category (compared in its stored spelling: "
        "spaces collapsed, lower case).",
    },
    {
        "name": "priority",
        "in": "query",
        "schema": {"type": "string", "enum": ["low", "normal", "high", "urgent"]},
        "description": "Only tickets of this priority.",
    },
    {
        "name": "channel",
        "in": "query",
        "schema": {
            "type": "string",
            "enum": ["email", "phone", "portal", "chat", "walk_in", "other"],
        },
        "description": "Only tickets that came in by this channel.",
    },
    {
        "name": "department",
        "in": "query",
        "schema": {"type": "string", "maxLength": 100},
        "description": "Only tickets of requesters of this department (any letter case). A "
        "filtered result stands on at least ITPULSE_MIN_GROUP distinct people, else it is "
        "withheld (every count null), for every team.",
    },
]
_SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "example": "workplace"},
}

PATHS = {
    "/api/v1/tickets/closed": {
        "post": {
            "summary": "Register a closed ticket and plan its survey",
            "description": "Once per (source, external_id): the same ticket again answers 200 "
            "and plans no second survey. Scope: tickets:write.",
            "operationId": "ticketsClosed",
            "security": [{"bearer": [WRITE]}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ClosedTicket"}}
                },
            },
            "responses": {
                "201": _json({"$ref": "#/components/schemas/TicketResult"}, "Registered."),
                "200": _json({"$ref": "#/components/schemas/TicketResult"}, "Known already."),
                "400": _error(
                    "Malformed JSON or fields; each wrong field is named (requester.email "
                    "outside ITPULSE_REQUESTER_DOMAINS, too)."
                ),
                "401": UNAUTHORISED,
                "403": _forbidden(WRITE),
                "413": TOO_LARGE,
                "429": RATE_LIMITED,
            },
        }
    },
    "/api/v1/tickets/closed/batch": {
        "post": {
            "summary": "Register up to 1,000 closed tickets, one answer per ticket",
            "description": "Valid tickets are written in one transaction; invalid ones answer "
            "400 in their own result. Body up to 1 MB. Scope: tickets:write.",
            "operationId": "ticketsClosedBatch",
            "security": [{"bearer": [WRITE]}],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["tickets"],
                            "properties": {
                                "tickets": {
                                    "type": "array",
                                    "minItems": 1,
                                    "maxItems": 1000,
                                    "items": {"$ref": "#/components/schemas/ClosedTicket"},
                                }
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["created", "existing", "invalid", "results"],
                        "properties": {
                            "created": {"type": "integer"},
                            "existing": {"type": "integer"},
                            "invalid": {"type": "integer"},
                            "results": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/BatchItemResult"},
                            },
                        },
                    },
                    "One result per ticket, in order.",
                ),
                "400": _error("Not a list of 1 to 1,000 tickets, or malformed JSON."),
                "401": UNAUTHORISED,
                "403": _forbidden(WRITE),
                "413": TOO_LARGE,
                "429": RATE_LIMITED,
            },
        }
    },
    "/api/v1/tickets/{source}/{external_id}/events": {
        "post": {
            "summary": "Tell what happened to a closed ticket: reopened, reassigned, merged, "
            "deleted",
            "description": "The same rules as a connector's events: only a survey not sent yet "
            "changes, and repeating an event changes nothing (200, result unchanged). Scope: "
            "tickets:write.",
            "operationId": "ticketEvents",
            "security": [{"bearer": [WRITE]}],
            "parameters": [
                {
                    "name": "source",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "example": "jira"},
                },
                {
                    "name": "external_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "example": "SD-123"},
                },
            ],
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/TicketEvent"}}
                },
            },
            "responses": {
                "200": _json(
                    {"$ref": "#/components/schemas/EventResult"},
                    "Applied (changed) or nothing to do (unchanged), with the ticket and its "
                    "survey as they are now.",
                ),
                "400": _error(
                    "Malformed JSON, an unknown event, an unknown team, a bad agent or time, "
                    "or a reassignment naming neither team nor agent; each field is named."
                ),
                "401": UNAUTHORISED,
                "403": _forbidden(WRITE),
                "404": _error("No ticket with this source and external id."),
                "413": TOO_LARGE,
                "429": RATE_LIMITED,
            },
        }
    },
    "/api/v1/hooks/{connector}": {
        "post": {
            "summary": "A helpdesk tool's own webhook payload",
            "description": "Authenticated by the connector's scheme: Zendesk, Jira (X-Hub-"
            "Signature), GLPI, generic (X-ITPulse-Signature: t=…,v1=…) or a bearer token. "
            "What the payload means is set per connector (field paths, event rules, team "
            "mapping). Body up to 256 KB. Calls that fail their signature, or name no "
            "connector, are limited per client address (ITPULSE_HOOK_RATE, default 60 a "
            "minute); signed calls are not.",
            "operationId": "hook",
            "security": [
                {"zendesk": [], "zendeskTimestamp": []},
                {"hub": []},
                {"glpi": [], "glpiTimestamp": []},
                {"generic": []},
                {"bearer": []},
            ],
            "parameters": [
                {
                    "name": "connector",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "example": "zendesk"},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
            "responses": {
                "201": _json({"type": "object"}, "A closed ticket was registered."),
                "200": _json(
                    {"type": "object"},
                    "Known already, a duplicate delivery, or an event applied (result: "
                    "existing, duplicate, changed, unchanged).",
                ),
                "202": _json({"type": "object"}, "No event rule matches: ignored."),
                "400": _error("Malformed JSON, missing field (named by its path) or no team."),
                "401": _error("Missing or wrong signature, or a timestamp out of tolerance."),
                "404": _error("Unknown or inactive connector."),
                "413": TOO_LARGE,
                "429": {
                    **RATE_LIMITED,
                    "description": "Too many unsigned calls from this address "
                    "(ITPULSE_HOOK_RATE). Retry-After says when the window ends.",
                },
            },
        }
    },
    "/api/v1/teams/": {
        "get": {
            "summary": "The teams",
            "description": "Any valid token, whatever its scopes: a tool that sends tickets "
            "names teams by these slugs.",
            "operationId": "teamList",
            "security": [{"bearer": []}],
            "responses": {
                "200": _json(
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"slug": _TEXT, "name": _TEXT},
                        },
                    },
                    "Every team, by name.",
                ),
                "401": UNAUTHORISED,
                "429": RATE_LIMITED,
            },
        }
    },
    "/api/v1/teams/{slug}/nps": {
        "get": {
            "summary": "A team's score over a period (NPS, CSAT or CES: its question type's)",
            "description": "Scope: results:read. The series of the team's current question "
            "type; a team that changed its type starts a new series, and ?scale= reads an "
            "earlier one.",
            "operationId": "teamNps",
            "security": [{"bearer": [READ]}],
            "parameters": [_SLUG, *_SINCE_UNTIL, _SCALE, *_SLICE],
            "responses": {
                "200": _json(
                    {
                        "allOf": [
                            {"$ref": "#/components/schemas/Score"},
                            {
                                "type": "object",
                                "properties": {
                                    "team": _TEXT,
                                    "team_question_type": {"type": "string"},
                                    "series_since": {
                                        "type": ["string", "null"],
                                        "format": "date",
                                        "description": "The first day with an answer on this "
                                        "series' scale; null before the first.",
                                    },
                                },
                            },
                        ]
                    },
                    "nps, csat and margin_of_error are null below 5 responses, ces below 10.",
                ),
                "400": _error(
                    "A date that is not YYYY-MM-DD, until before since, an unknown scale, "
                    "priority or channel."
                ),
                "401": UNAUTHORISED,
                "403": _forbidden(READ),
                "404": _error("Unknown team."),
                "429": RATE_LIMITED,
            },
        }
    },
    "/api/v1/teams/{slug}/trend": {
        "get": {
            "summary": "A team's score per week or month (its question type's series)",
            "description": "Scope: results:read. Each point carries question_type; ?scale= "
            "reads an earlier series of a team that changed its type.",
            "operationId": "teamTrend",
            "security": [{"bearer": [READ]}],
            "parameters": [
                _SLUG,
                {
                    "name": "interval",
                    "in": "query",
                    "schema": {"type": "string", "enum": ["week", "month"]},
                },
                *_SINCE_UNTIL,
                _SCALE,
                *_SLICE,
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "array",
                        "items": {
                            "allOf": [
                                {"$ref": "#/components/schemas/Score"},
                                {
                                    "type": "object",
                                    "properties": {
                                        "period_start": {"type": "string", "format": "date"},
                                        "uncertain": {"type": "boolean"},
                                    },
                                },
                            ]
                        },
                    },
                    "One point per period, empty ones included.",
                ),
                "400": _error("Bad interval or dates, or more than ten years."),
                "401": UNAUTHORISED,
                "403": _forbidden(READ),
                "404": _error("Unknown team."),
                "429": RATE_LIMITED,
            },
        }
    },
}


def _header(name: str, description: str) -> dict:
    return {"type": "apiKey", "in": "header", "name": name, "description": description}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ITPulse API",
            "version": "1",
            "description": "Closed tickets in from helpdesk tools; team scores and answers "
            'out. Every error is JSON: {"errors": {"field": ["message"]}}.',
        },
        "servers": [{"url": settings.ITPULSE_BASE_URL}],
        "paths": {
            **PATHS,
            **openapi_answers.paths(
                error=_error,
                unauthorised=UNAUTHORISED,
                forbidden=_forbidden(READ),
                rate_limited=RATE_LIMITED,
            ),
        },
        "webhooks": openapi_answers.WEBHOOKS,
        "components": {
            "schemas": {**SCHEMAS, **openapi_answers.SCHEMAS},
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token (made on the API tokens page or with "
                    "manage.py create_api_token), or for a hook a connector's secret when its "
                    "scheme is bearer. A token has scopes: tickets:write (send closed tickets "
                    "and batches) and results:read (scores, trends and answers); each operation's "
                    "security lists the one it needs, and a token without it gets 403 naming "
                    "it. Tokens expire (default 365 days) and can be revoked: then 401.",
                },
                "zendesk": _header(
                    "X-Zendesk-Webhook-Signature", "base64 HMAC-SHA256 of timestamp + body."
                ),
                "zendeskTimestamp": _header(
                    "X-Zendesk-Webhook-Signature-Timestamp", "ISO 8601 time of signing."
                ),
                "hub": _header("X-Hub-Signature", "sha256=<hex HMAC-SHA256 of the body>."),
                "glpi": _header("X-GLPI-signature", "hex HMAC-SHA256 of body + timestamp."),
                "glpiTimestamp": _header("X-GLPI-timestamp", "Unix time of signing."),
                "generic": _header(
                    "X-ITPulse-Signature", 't=<unix>,v1=<hex HMAC-SHA256 of "<t>." + body>.'
                ),
            },
        },
    }
