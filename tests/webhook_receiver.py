"""A real HTTP server in a thread that receives ITPulse's webhooks and verifies each signature
with the Standard Webhooks specification's own library, as a receiver would."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def message(self) -> dict:
        return json.loads(self.body)


@dataclass
class Receiver:
    secret: str = ""
    # Statuses to answer, in turn (then 204 for good); a bad signature is answered 401.
    script: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    url: str = ""

    def take(self, headers: dict[str, str], body: bytes) -> int:
        try:
            Verifier(self.secret).verify(body, headers)
            verified = True
        except WebhookVerificationError:
            verified = False
        self.received.append(Received(headers, body, verified))
        if not verified:
            return 401
        return self.script.pop(0) if self.script else 204

    @property
    def verified(self) -> list[Received]:
        return [item for item in self.received if item.verified]


def receiver_start() -> tuple[Receiver, ThreadingHTTPServer]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = receiver.take(dict(self.headers.items()), body)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/itpulse"
    return receiver, server
