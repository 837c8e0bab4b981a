"""Outgoing calls refuse loopback and private addresses (server-side request forgery) unless
ITPULSE_OUTGOING_ALLOW_PRIVATE, connect to the address they checked, and follow no redirect."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from delivery import outbound
from delivery.outbound import RefusedAddress


class Receiver(BaseHTTPRequestHandler):
    calls: list

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.calls.append((self.path, self.headers["Host"], self.headers["Content-Type"], body))
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/inside")
        else:
            self.send_response(201)
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    calls: list = []
    server = HTTPServer(("127.0.0.1", 0), type("R", (Receiver,), {"calls": calls}))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.calls = calls
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://localhost:8000/hook",
        "http://[::1]/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "http://172.16.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",  # a cloud's metadata service
        "http://100.64.0.1/hook",  # carrier-grade NAT
        "http://0.0.0.0/hook",
        "http://224.0.0.1/hook",
    ],
)
def test_loopback_private_and_reserved_addresses_are_refused(url, settings):
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = False
    with pytest.raises(RefusedAddress, match="ITPULSE_OUTGOING_ALLOW_PRIVATE"):
        outbound.check_url(url)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/", "http:///x"]
)
def test_only_http_addresses_with_a_host_are_called(url, settings):
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = True  # refused whatever the setting
    with pytest.raises(RefusedAddress, match="http"):
        outbound.check_url(url)


def test_a_name_with_one_private_address_among_public_ones_is_refused(settings, monkeypatch):
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = False
    answers = [("93.184.215.14", 443), ("10.0.0.7", 443)]
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda *args, **kwargs: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", a) for a in answers],
    )
    with pytest.raises(RefusedAddress):
        outbound.check_url("https://chat.example.com/hook")
    answers.pop()
    assert outbound.check_url("https://chat.example.com/hook") == (
        "chat.example.com",
        443,
        "93.184.215.14",
    )


def test_a_refused_call_never_reaches_the_receiver(receiver, settings):
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = False
    with pytest.raises(RefusedAddress):
        outbound.post_json(f"http://127.0.0.1:{receiver.server_port}/hook", b"{}")
    assert receiver.calls == []


def test_allowed_private_calls_post_json_and_return_the_status(receiver, settings):
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = True
    port = receiver.server_port
    status = outbound.post_json(
        f"http://localhost:{port}/hook?team=1", b'{"a": 1}', headers={"X-Test": "1"}
    )
    assert status == 201
    call = ("/hook?team=1", f"localhost:{port}", "application/json", b'{"a": 1}')
    assert receiver.calls == [call]


def test_a_redirect_is_a_reply_not_a_second_call(receiver, settings):
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = True
    reply = outbound.send(
        "POST", f"http://127.0.0.1:{receiver.server_port}/moved", b"{}", headers={}
    )
    assert reply.status == 302 and not reply.ok
    assert [call[0] for call in receiver.calls] == ["/moved"]  # /inside never called


def test_the_call_goes_to_the_checked_address_not_a_second_lookup(receiver, settings, monkeypatch):
    """DNS rebinding: the name is looked up once, checked, and that address is connected to."""
    settings.ITPULSE_OUTGOING_ALLOW_PRIVATE = True
    lookups = []
    real = socket.getaddrinfo

    def once(host, *args, **kwargs):
        lookups.append(host)
        return real("127.0.0.1", *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", once)
    port = receiver.server_port
    assert outbound.post_json(f"http://chat.invalid:{port}/hook", b"{}") == 201
    assert lookups.count("chat.invalid") == 1  # then only the checked address, a literal
    assert receiver.calls[0][1] == f"chat.invalid:{port}"  # the Host header keeps the name
