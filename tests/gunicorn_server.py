"""gunicorn started as deployed (itpulse/gunicorn.py, as the Dockerfile and compose start it),
with the environment a test gives it, and plain HTTP requests to it over a real socket."""

import os
import select
import subprocess
import sys
from contextlib import contextmanager
from http.client import HTTPConnection
from pathlib import Path

from tests.e2e.conftest import free_port, stop_processes

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def gunicorn_servers():
    """`start(**env)` starts gunicorn with the deployed settings and this environment and returns
    its port; each one is stopped when the block ends."""
    processes = []

    def start(**env) -> int:
        port = free_port()
        proc = subprocess.Popen(
            [
                Path(sys.executable).parent / "gunicorn",
                "-c",
                "python:itpulse.gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
                "itpulse.wsgi",
            ],
            cwd=ROOT,
            env={**os.environ, "ALLOWED_HOSTS": "pulse.example.org", **env},
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        processes.append(proc)
        # The socket is bound before this line; later connections wait for the worker.
        lines = []
        while not any("Listening at" in line for line in lines):
            ready, _, _ = select.select([proc.stderr], [], [], 60)
            assert ready and proc.poll() is None, "".join(lines)
            lines.append(proc.stderr.readline())
        return port

    try:
        yield start
    finally:
        stop_processes(processes)


def get(port: int, path: str, **headers) -> tuple[int, dict]:
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Host": "pulse.example.org", **headers})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}
