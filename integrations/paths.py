"""Reading a value out of a tool's payload by dotted path (a.b.0.c) or JSON pointer (/a/b/0/c)."""

from surveys.params import ascii_int

MISSING = object()


def _segments(path: str) -> list[str]:
    if path.startswith("/"):
        # RFC 6901: "~1" is "/", "~0" is "~" (in that order).
        return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]
    return path.split(".")


def resolve(payload, path: str):
    """The value at `path`, or MISSING when any step is absent or of the wrong type."""
    if not path:
        return MISSING
    value = payload
    for part in _segments(path):
        if isinstance(value, dict):
            if part not in value:
                return MISSING
            value = value[part]
        elif isinstance(value, list):
            index = ascii_int(part)
            if index is None or index >= len(value):
                return MISSING
            value = value[index]
        else:
            return MISSING
    return value


def as_text(value) -> str:
    """A payload value as the text ITPulse stores; nothing, null and objects become ""."""
    if value is MISSING or value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()
