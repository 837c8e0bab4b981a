"""The mailbox that relays send their delivery reports to, behind one small interface.

`ITPULSE_BOUNCE_MAILBOX` names it (itpulse/settings.py parses the URL): an IMAP folder
(`imaps://`, `imap+tls://` with STARTTLS, or plain `imap://`) through the standard library's
imaplib, or a Maildir on this machine (`maildir:///var/mail/bounces`, where a local Postfix
delivers) through mailbox.Maildir. Both hand out the messages not yet seen and mark a message
seen once it is handled: the IMAP \\Seen flag, a Maildir message moved to cur/ with flag S,
which is what a mail client shows as read. The password never leaves this module: no log line,
repr or error names it.
"""

import contextlib
import imaplib
import mailbox
import ssl
from collections.abc import Iterator
from types import TracebackType
from typing import Any, Protocol, Self

# A run reads at most this many reports; the next beat run takes the rest.
BATCH = 500
TIMEOUT = 30


class Mailbox(Protocol):
    def unseen(self) -> Iterator[tuple[str, bytes]]:
        """(key, whole message) of every message not yet marked seen, at most BATCH."""
        ...

    def mark_seen(self, key: str) -> None: ...

    def close(self) -> None: ...


class MailboxError(Exception):
    """The mailbox could not be read; the message names no password."""


class _Closing:
    def close(self) -> None:
        pass

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class MaildirMailbox(_Closing):
    def __init__(self, path: str) -> None:
        try:
            self._box = mailbox.Maildir(path, factory=None, create=False)
        except (OSError, mailbox.Error) as exc:
            raise MailboxError(f"no Maildir at {path}") from exc

    def unseen(self) -> Iterator[tuple[str, bytes]]:
        count = 0
        for key in sorted(self._box.keys()):  # Maildir names start with the delivery time
            if "S" in self._box.get_message(key).get_flags():
                continue
            yield key, self._box.get_bytes(key)
            count += 1
            if count >= BATCH:
                return

    def mark_seen(self, key: str) -> None:
        message = self._box.get_message(key)
        message.set_subdir("cur")
        message.add_flag("S")
        self._box[key] = message


def _quoted(folder: str) -> str:
    # imaplib sends a mailbox name as given: quote it, for names such as "Bounces 2026".
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


class ImapMailbox(_Closing):
    def __init__(
        self,
        *,
        scheme: str,
        host: str,
        port: int,
        user: str,
        password: str,
        folder: str,
        timeout: float = TIMEOUT,
    ) -> None:
        self.where = f"{scheme}://{host}:{port}/{folder}"
        self._secret = password
        try:
            self._imap = self._connect(scheme, host, port, timeout)
            self._check(self._imap.login(user, password))
            self._check(self._imap.select(_quoted(folder)))
        except (OSError, imaplib.IMAP4.error) as exc:
            raise self._error(exc) from None

    @staticmethod
    def _connect(scheme: str, host: str, port: int, timeout: float) -> imaplib.IMAP4:
        context = ssl.create_default_context()
        if scheme == "imaps":
            return imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=timeout)
        imap = imaplib.IMAP4(host, port, timeout=timeout)
        if scheme == "imap+tls":
            imap.starttls(ssl_context=context)  # raises if the server offers no STARTTLS
        return imap

    def _error(self, exc: BaseException) -> MailboxError:
        text = str(exc)
        if self._secret:
            text = text.replace(self._secret, "…")
        return MailboxError(f"{self.where}: {type(exc).__name__}: {text}")

    @staticmethod
    def _check(answer: tuple[str, Any]) -> Any:
        kind, data = answer
        if kind != "OK":
            raise imaplib.IMAP4.error(f"{kind} {data!r}")
        return data

    def unseen(self) -> Iterator[tuple[str, bytes]]:
        try:
            found = self._check(self._imap.uid("SEARCH", "UNSEEN"))
            for uid in (found[0] or b"").decode().split()[:BATCH]:
                # PEEK: reading does not mark it seen; mark_seen does, once it is handled.
                data = self._check(self._imap.uid("FETCH", uid, "(BODY.PEEK[])"))
                body = next((item[1] for item in data if isinstance(item, tuple)), None)
                if body is not None:
                    yield uid, body
        except (OSError, imaplib.IMAP4.error) as exc:
            raise self._error(exc) from None

    def mark_seen(self, key: str) -> None:
        try:
            self._check(self._imap.uid("STORE", key, "+FLAGS.SILENT", "(\\Seen)"))
        except (OSError, imaplib.IMAP4.error) as exc:
            raise self._error(exc) from None

    def close(self) -> None:
        # The server may have gone first: then nothing is left to close.
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            self._imap.logout()


def mailbox_open(config: dict[str, Any]) -> MaildirMailbox | ImapMailbox:
    """The mailbox settings.ITPULSE_BOUNCE_MAILBOX describes (parsed at start-up)."""
    if config["scheme"] == "maildir":
        return MaildirMailbox(config["path"])
    return ImapMailbox(
        scheme=config["scheme"],
        host=config["host"],
        port=config["port"],
        user=config["user"],
        password=config["password"],
        folder=config["folder"],
    )
