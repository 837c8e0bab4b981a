"""A real HTTP server in a thread, standing in for a chat webhook or a helpdesk's REST API.

It records every request (method, path with query, headers, body) and answers what `answer`
returns for it: a test checks a tool's documented request shape there, so that a wrong shape is
refused as the tool itself would refuse it, and the outgoing call is retried or failed.
"""

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    url: str
    requests: list[Request] = field(default_factory=list)
    # (request) -> (status, reply body); the default accepts everything.
    answer: Callable[[Request], tuple[int, Any]] = lambda request: (200, {})


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                self.command, self.path, dict(self.headers.items()), self.rfile.read(length)
            )
            receiver.requests.append(request)
            status, reply = receiver.answer(request)
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_POST = do_PUT = do_PATCH = do_GET = _any

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(name="receiver")
def local_receiver(settings) -> Iterator[Receiver]:
    """A local receiver; calls into the private network are allowed for it (they are refused
    by default: delivery/outbound.py)."""
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = True
    box = Receiver(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(box))
    box.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box
    server.shutdown()
    server.server_close()
