"""Real delivery reports (tests/dsn/, sources in its README) made to name one of our survey
e-mails, a Maildir to deliver them into, and a real IMAP server process (pymap) serving it."""

import mailbox
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from pysasl.hashing import BuiltinHash

from surveys.messageids import invitation_message_id
from tests.e2e.conftest import free_port, stop_processes

HERE = Path(__file__).resolve().parent / "dsn"
# Each sample: the Message-ID of the message it returns, and the recipient it reports.
SAMPLES = {
    "lhost-postfix-14": ("<20150213024813.DE9FF20C16@2jo.example.jp>", "kijitora@2jo.example.jp"),
    "lhost-postfix-15": (
        "<20150213031231.54EF320C12@kawaramachi.example.jp>",
        "kijitora@bukkoji.example.org",
    ),
    "lhost-exchange2007-07": ("<QCw92c-juIk7Y-w6@neko.example.com>", "kijitora@example.jp"),
    "rfc3464-07": ("<000000000000000@list.example.jp>", "kijitora@example.net"),
}


def recipient(name: str) -> str:
    return SAMPLES[name][1]


def report(name: str, invitation_id: int | None = None, *, reminder: bool = False) -> bytes:
    """The sample as sent; with an invitation, about that invitation's survey e-mail."""
    raw = (HERE / f"{name}.eml").read_bytes()
    if invitation_id is None:
        return raw
    ours = invitation_message_id(invitation_id, reminder=reminder)
    return raw.replace(SAMPLES[name][0].encode(), ours.encode())


def maildir(path: Path, *messages: bytes) -> mailbox.Maildir:
    box = mailbox.Maildir(path, create=True)
    for message in messages:
        box.add(message)
    return box


def seen(box: mailbox.Maildir) -> list[bool]:
    return ["S" in box.get_message(key).get_flags() for key in sorted(box.keys())]


@contextmanager
def imap_server(base: Path, *, user: str, password: str):
    """pymap's IMAP server (a real process) on a free port, serving `base/mail/<user>` as the
    user's INBOX. Yields (port, that Maildir's path)."""
    (base / "pymap-etc-passwd").write_text(f"{user}:x::::mail/{user}:\n")
    (base / "pymap-etc-shadow").write_text(f"{user}:{BuiltinHash().hash(password)}:::::::\n")
    (base / "mail").mkdir()
    port = free_port()
    command = [sys.executable, "-c", "import sys; from pymap.main import main; sys.exit(main())"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--no-tls", "maildir", str(base)]
    log = base / "pymap.log"
    with log.open("wb") as output:
        proc = subprocess.Popen(command, start_new_session=True, stderr=output, stdout=output)
    try:
        _wait_for(port, proc, log)
        yield port, base / "mail" / user
    finally:
        stop_processes([proc])


def _wait_for(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)  # polling for a process to listen; nothing in the test waits on time
    raise AssertionError(f"pymap on {port} did not start")
