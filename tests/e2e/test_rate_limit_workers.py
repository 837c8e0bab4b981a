"""Issue 14: rate limits hold across web workers. Two gunicorn servers (separate processes, as
two hosts or workers would be) share Redis; calls alternate between them, so neither sees
enough of them alone to reach the limit, and the limit is reached all the same."""

import http.client
import json
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from integrations.services import connector_create
from surveys.api_tokens import api_token_create
from tests.factories import TeamFactory

from .conftest import ROOT, free_port, needs_real_services, stop_processes, worker_env

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
HOUR = 3600


@pytest.fixture
def two_web_servers():
    """Two gunicorn servers, one worker each, with low rates; yields their ports."""
    needs_real_services()
    ports, processes = [free_port(), free_port()], []
    env = worker_env(
        ITPULSE_API_RATE="5/hour",
        ITPULSE_HOOK_RATE="3/hour",
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="1",
        GUNICORN_ACCESS_LOG="",
        CONN_MAX_AGE="0",
        LOG_LEVEL="WARNING",
    )
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    for port in ports:
        command = [gunicorn, "-c", "python:itpulse.gunicorn", "itpulse.wsgi"]
        command += ["--bind", f"127.0.0.1:{port}"]
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True))
    try:
        for port in ports:
            _wait_for(port)
        yield ports
    finally:
        stop_processes(processes)


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)  # polling for a process to listen; nothing in the test waits on time
    raise AssertionError(f"gunicorn on {port} did not start")


def call(port: int, method: str, path: str, *, headers=None, body=b"", source="127.0.0.1"):
    """One HTTP call from `source` (any 127.x.y.z is this machine, so each test run can be a
    client address of its own)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def within_one_window(attempt):
    """Run `attempt` again if an hour's boundary fell inside it (its counts would be split)."""
    for _ in range(2):
        start = int(time.time()) // HOUR
        result = attempt()
        if int(time.time()) // HOUR == start:
            return result
    raise AssertionError("two window boundaries in a row")


def test_a_tokens_rate_is_shared_by_two_web_servers(two_web_servers):
    TeamFactory(slug="workplace", name="Workplace")
    first, second = two_web_servers

    def attempt():
        _token, raw = api_token_create(name=f"jira-{random.randrange(10**9)}")
        headers = {"Authorization": f"Bearer {raw}"}
        ports = [first, second] * 3  # six calls, three to each server
        return [call(port, "GET", "/api/v1/teams/", headers=headers) for port in ports]

    answers = within_one_window(attempt)
    assert [status for status, _h, _b in answers] == [200] * 5 + [429]
    _status, headers, body = answers[-1]
    assert 0 < int(headers["Retry-After"]) <= HOUR
    assert "5/hour" in json.loads(body)["errors"]["rate"][0]


def test_unsigned_hook_calls_are_limited_per_address_across_servers(two_web_servers):
    team = TeamFactory(slug="workplace", name="Workplace")
    connector_create(name="Generic", slug="generic", kind="generic", default_team=team)
    first, second = two_web_servers
    headers = {"Content-Type": "application/json", "X-ITPulse-Signature": "t=1,v1=forged"}

    def attempt():
        me = f"127.{random.randrange(1, 255)}.{random.randrange(255)}.{random.randrange(1, 255)}"
        other = me.rsplit(".", 1)[0] + f".{int(me.rsplit('.', 1)[1]) % 254 + 1}"
        hits = [
            call(port, "POST", "/api/v1/hooks/generic", headers=headers, body=b"{}", source=me)
            for port in (first, second, first, second)
        ]
        elsewhere = call(
            first, "POST", "/api/v1/hooks/generic", headers=headers, body=b"{}", source=other
        )
        return hits, elsewhere

    hits, elsewhere = within_one_window(attempt)
    assert [status for status, _h, _b in hits] == [401, 401, 401, 429]
    assert 0 < int(hits[-1][1]["Retry-After"]) <= HOUR
    assert elsewhere[0] == 401  # another address has its own count
