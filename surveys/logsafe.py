"""Log lines without personal data: link tokens masked, e-mail addresses only as a short hash.

Imported by gunicorn's master process (itpulse/gunicorn.py) before Django is set up, so this
module uses the standard library only.
"""

import hashlib
import logging
import re
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import unquote

# Every path that carries a link token, by its first segment: /s/<token>/… (a ticket's survey)
# and /c/<token>/… (a periodic survey). A request line, a referrer or a login's ?next= may hold
# one anywhere, %2F-encoded too. tests/test_logs_personal_data.py fails when the URLconf gains a
# token URL this does not cover.
_TOKEN_PATH = re.compile(r"(/|%2[Ff])([sc])(/|%2[Ff])[^/?#&%\s\"']+")
# A search box's terms (the admin's ?q=): an address, a name or words of a comment.
_SEARCH = re.compile(r"(^|[?&])q=[^&#\s\"']*")
# Also %40-encoded, as in a query string. Quotes, braces, slashes, ? & = are left out: they
# surround addresses in reprs, paths and query strings.
_ADDRESS = re.compile(r"[\w.!#$%*+|~-]+(?:@|%40)[\w-]+(?:\.[\w-]+)+")
# One quick look for the above first: most strings (user agents, dates) hold none of them.
_SUSPECT = re.compile(r"/[sc]/|%|@|q=")


def mask_tokens(text: str) -> str:
    """`GET /s/<token>/thanks/?lang=nl` → `GET /s/…/thanks/?lang=nl`."""
    return _TOKEN_PATH.sub("\\1\\2\\3…", text)


def redact(text: str) -> str:
    """For a request line or a path: link tokens and search terms masked, addresses hashed."""
    if not _SUSPECT.search(text):
        return text
    return scrub(_SEARCH.sub("\\1q=…", mask_tokens(text)))


def address_hash(email: str) -> str:
    """The same short hash for the same address, whatever its case: enough to follow one
    address through the logs, useless for reading it back."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:12]


def scrub(text: object) -> str:
    """Text for a log line with every e-mail address in it replaced by its hash.

    SMTP servers quote the recipient in their replies ("550 5.1.1 <ann@example.org>: unknown"),
    and smtplib's SMTPRecipientsRefused is a dict keyed by address.
    """
    return _ADDRESS.sub(_hashed, str(text))


def _hashed(found: re.Match) -> str:
    return f"<address {address_hash(unquote(found.group()))}>"


def error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {scrub(exc)}"


class MailError(smtplib.SMTPException):
    """An SMTP failure whose text is scrubbed. Still an OSError (an SMTPException), so tasks
    that retry on OSError retry on it."""


@contextmanager
def scrubbed_mail_errors() -> Iterator[None]:
    """Re-raise an SMTP failure without the addresses it quotes: a task that lets it escape is
    logged by Celery, traceback and message included."""
    try:
        yield
    except smtplib.SMTPException as exc:
        # from None: the original, with its addresses, is not printed as the cause.
        raise MailError(error_text(exc)) from None


class Redact(logging.Filter):
    """redact() on a record's message and arguments: for the loggers that write request paths
    (Django's, LOGGING in itpulse/settings.py; gunicorn's error log, itpulse/gunicorn.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _masked(value) for key, value in record.args.items()}
        return True


def _masked(value: object) -> object:
    if isinstance(value, bytes):
        value = value.decode(errors="replace")
    return redact(value) if isinstance(value, str) else value
