"""Log lines without personal data: link tokens masked, e-mail addresses only as a short hash.

Imported by gunicorn's master process (itpulse/gunicorn.py) before Django is set up, so this
module uses the standard library only.
"""

import copy
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
    """redact() on a record's message and traceback: for the loggers that write request paths
    (Django's, LOGGING in itpulse/settings.py; gunicorn's error log, itpulse/gunicorn.py), and
    on the console for whatever else gets there.

    Returns a redacted copy (Python 3.12+): on a handler, the other handlers still get the
    record as it was logged, so a test's capture sees what the code wrote, not this net.
    """

    def filter(self, record: logging.LogRecord) -> logging.LogRecord | bool:
        try:
            # The whole message: a path may be split between the format and its arguments.
            message = record.getMessage()
        except Exception:
            return True  # a broken format: the handler reports it as logging always does
        trace = record.exc_text
        if record.exc_info and not trace:
            trace = logging.Formatter().formatException(record.exc_info)
        text, redacted_trace = redact(message), redact(trace) if trace else trace
        if text == message and redacted_trace == trace:
            return True  # nothing to hide: the record as it was, arguments and all
        record = copy.copy(record)
        # Formatters use exc_text when it is set: an SMTP error's text quotes addresses.
        record.msg, record.args, record.exc_text = text, (), redacted_trace
        return record
