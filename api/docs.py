"""The API's OpenAPI document, and the same as a readable page (no JavaScript, no CDN)."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .openapi import document


@require_GET
def openapi_json(request: HttpRequest) -> HttpResponse:
    return JsonResponse(document(), json_dumps_params={"ensure_ascii": False})


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _fields(schema: dict, spec: dict, prefix: str = "", depth: int = 0) -> list[dict]:
    """Rows "requester.email · string · required · …" for a request body, nested objects flat."""
    schema = _resolve(schema, spec)
    rows = []
    required = set(schema.get("required", []))
    for name, sub in schema.get("properties", {}).items():
        sub = _resolve(sub, spec)
        path = f"{prefix}{name}"
        kind = sub.get("type", "object")
        if kind == "array":
            kind = f"array of {_resolve(sub.get('items', {}), spec).get('type', 'object')}"
        rows.append(
            {
                "name": path,
                "type": kind if isinstance(kind, str) else " or ".join(kind),
                "required": name in required,
                "description": sub.get("description", ""),
                "example": sub.get("example", ""),
            }
        )
        if "properties" in sub and depth < 2:
            rows += _fields(sub, spec, f"{path}.", depth + 1)
        items = _resolve(sub.get("items", {}), spec)
        if "properties" in items and depth < 2:
            rows += _fields(items, spec, f"{path}[].", depth + 1)
    return rows


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    spec = document()
    operations = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            operations.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation["summary"],
                    "description": operation.get("description", ""),
                    "auth": sorted({name for option in operation["security"] for name in option}),
                    "parameters": operation.get("parameters", []),
                    "fields": _fields(body["schema"], spec) if body else [],
                    "responses": operation["responses"].items(),
                }
            )
    # The calls ITPulse makes (outgoing webhooks), after the calls it takes.
    for event, methods in spec.get("webhooks", {}).items():
        operation = methods["post"]
        body = operation["requestBody"]["content"]["application/json"]
        operations.append(
            {
                "id": operation["operationId"],
                "method": "POST",
                "path": f"{event} → " + _("your URL"),
                "summary": operation["summary"],
                "description": operation["description"],
                "auth": ["webhook-signature"],
                "parameters": operation["parameters"],
                "fields": _fields(body["schema"], spec),
                "responses": operation["responses"].items(),
            }
        )
    context = {
        "spec": spec,
        "operations": operations,
        "schemes": spec["components"]["securitySchemes"].items(),
        "example": json.dumps(
            {
                "source": "jira",
                "external_id": "SD-123",
                "team": "workplace",
                "requester": {"email": "ann@example.org", "language": "nl"},
                "closed_at": "2026-11-25T10:00:00Z",
            },
            indent=2,
        ),
    }
    return render(request, "api/docs.html", context)
