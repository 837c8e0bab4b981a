"""The OpenAPI description of answers going out (issue 16.4): GET /api/v1/responses, merged into
api/openapi.py's document, which hands over the answers every token call shares (`paths`)."""

from collections.abc import Callable
from typing import Any

from surveys.scales import ALL_CATEGORY_NAMES

READ = "results:read"


def _person(description: str) -> dict[str, Any]:
    return {
        "type": ["object", "null"],
        "description": description,
        "required": ["email", "name"],
        "properties": {"email": {"type": "string"}, "name": {"type": "string"}},
    }


SCHEMAS: dict[str, Any] = {
    "Response": {
        "type": "object",
        "required": [
            "id",
            "team",
            "score",
            "category",
            "comment",
            "reasons",
            "created_at",
            "updated_at",
            "anonymous",
            "ticket",
            "requester",
            "agent",
        ],
        "properties": {
            "id": {"type": "integer"},
            "team": {"type": "string", "description": "The team's slug.", "example": "workplace"},
            "score": {
                "type": "integer",
                "minimum": 0,
                "maximum": 10,
                "description": "On the scale of question_type: 0–10, 1–5 or 1–7.",
            },
            "category": {"type": "string", "enum": list(ALL_CATEGORY_NAMES)},
            "question_type": {
                "type": "string",
                "enum": ["nps", "service", "effort"],
                "description": "The question type, and so the scale, the answer was given on.",
            },
            "comment": {"type": "string"},
            "reasons": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Slugs of the quick-pick reasons the requester chose.",
            },
            "created_at": {"type": "string", "format": "date-time"},
            "updated_at": {
                "type": "string",
                "format": "date-time",
                "description": "When the answer was last changed (the requester may change it "
                "while the link is valid).",
            },
            "anonymous": {
                "type": "boolean",
                "description": "Nothing may tell who gave it (an anonymous team, or unlinked by "
                "retention or erasure): ticket, requester and agent are null, and an answer "
                "given anonymously has its day only (its times are that day's midnight).",
            },
            "ticket": {
                "type": ["object", "null"],
                "required": ["source", "external_id"],
                "properties": {"source": {"type": "string"}, "external_id": {"type": "string"}},
            },
            "requester": _person("Who answered."),
            "agent": _person("Who gave the service."),
        },
    },
    "ResponseEvent": {
        "type": "object",
        "required": ["type", "timestamp", "data"],
        "properties": {
            "type": {"type": "string", "enum": ["response.created", "response.changed"]},
            "timestamp": {
                "type": "string",
                "format": "date-time",
                "description": "When it happened (an anonymous answer: its day's midnight).",
            },
            "data": {"$ref": "#/components/schemas/Response"},
        },
    },
    "FollowupEvent": {
        "type": "object",
        "required": ["type", "timestamp", "data"],
        "properties": {
            "type": {"type": "string", "enum": ["followup.opened"]},
            "timestamp": {"type": "string", "format": "date-time"},
            "data": {
                "type": "object",
                "required": ["id", "team", "status", "opened_at", "due_at", "url", "response"],
                "properties": {
                    "id": {"type": "integer"},
                    "team": {"type": "string"},
                    "status": {"type": "string"},
                    "opened_at": {"type": "string", "format": "date-time"},
                    "due_at": {"type": "string", "format": "date-time"},
                    "url": {"type": "string", "description": "The case's page in ITPulse."},
                    "response": {"$ref": "#/components/schemas/Response"},
                },
            },
        },
    },
    "ResponsePage": {
        "type": "object",
        "required": ["responses", "next_cursor", "has_more"],
        "properties": {
            "responses": {"type": "array", "items": {"$ref": "#/components/schemas/Response"}},
            "next_cursor": {
                "type": ["string", "null"],
                "description": "Pass it as cursor for the next page, or later for what came "
                "after; null when nothing was read yet.",
            },
            "has_more": {"type": "boolean", "description": "Another page is ready now."},
        },
    },
}


def paths(
    *,
    error: Callable[[str], dict[str, Any]],
    unauthorised: dict[str, Any],
    forbidden: dict[str, Any],
    rate_limited: dict[str, Any],
) -> dict[str, Any]:
    return {
        "/api/v1/responses": {
            "get": {
                "summary": "Answers one by one, oldest change first",
                "description": "Scope: results:read. Answers in the order they were given or last "
                "changed, 100 a page; a changed answer comes again, at its change. Follow "
                "next_cursor while has_more; keep the last one to ask later for what came after: "
                "no answer is skipped, also one given while you page. An answer appears 10 seconds "
                "after it is given; an anonymous team's answers the day after theirs, and none of "
                "a day on which fewer than ITPULSE_MIN_GROUP people answered that team.",
                "operationId": "responseList",
                "security": [{"bearer": [READ]}],
                "parameters": [
                    {
                        "name": "since",
                        "in": "query",
                        "description": "Only answers given or changed from then on: a date "
                        "(YYYY-MM-DD, from the organisation's midnight) or an ISO 8601 date and "
                        "time with its zone.",
                        "schema": {"type": "string", "example": "2026-11-01"},
                    },
                    {
                        "name": "team",
                        "in": "query",
                        "description": "One team's answers, by its slug.",
                        "schema": {"type": "string", "example": "workplace"},
                    },
                    {
                        "name": "cursor",
                        "in": "query",
                        "description": "next_cursor of an earlier page, unchanged.",
                        "schema": {"type": "string"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "One page.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ResponsePage"}
                            }
                        },
                    },
                    "400": error("A since, cursor or team that is not one."),
                    "401": unauthorised,
                    "403": forbidden,
                    "429": rate_limited,
                },
            }
        },
    }


_SIGNED = [
    {
        "name": "webhook-id",
        "in": "header",
        "required": True,
        "description": "The message's id (msg_…), the same on every try: drop repeats.",
        "schema": {"type": "string"},
    },
    {
        "name": "webhook-timestamp",
        "in": "header",
        "required": True,
        "description": "Unix seconds of this try.",
        "schema": {"type": "string"},
    },
    {
        "name": "webhook-signature",
        "in": "header",
        "required": True,
        "description": 'v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">, '
        "keyed with the bytes of the webhook's whsec_ secret (Standard Webhooks).",
        "schema": {"type": "string"},
    },
]


def _webhook(event: str, summary: str, schema: str) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "description": "Sent to each URL an administrator subscribed to this event "
            "(/staff/webhooks/ or manage.py add_webhook), signed per Standard Webhooks; "
            "retried with backoff until it is answered 2xx (docs/webhooks.md).",
            "operationId": "webhook" + "".join(part.title() for part in event.split(".")),
            "parameters": _SIGNED,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}
                },
            },
            "responses": {"2XX": {"description": "Received; anything else is retried."}},
        }
    }


# OpenAPI 3.1's `webhooks`: the calls ITPulse makes to a subscriber's URL.
WEBHOOKS: dict[str, Any] = {
    "response.created": _webhook("response.created", "An answer was given", "ResponseEvent"),
    "response.changed": _webhook("response.changed", "An answer was changed", "ResponseEvent"),
    "followup.opened": _webhook(
        "followup.opened", "A detractor's answer opened a follow-up case", "FollowupEvent"
    ),
}
