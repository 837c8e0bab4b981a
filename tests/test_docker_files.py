"""The Docker files as deployed (issue 14): no .env in the image, HTTPS through Caddy, gunicorn
reachable only through Caddy and trusting only Caddy's forwarding headers.

There is no Docker engine where the tests run, so the files are read (compose with PyYAML, as
Compose reads them, its ${VAR:-default} defaults resolved here) and the parts that are ITPulse's
own are run: the web container's health check against gunicorn started as compose starts it.
"""

import fnmatch
import ipaddress
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.gunicorn_server import get, gunicorn_servers

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
GUNICORN_PORT = "8000"  # itpulse/gunicorn.py binds 0.0.0.0:8000 unless GUNICORN_BIND says else


def interpolate(value: str, env: dict) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, nested, innermost first."""
    pattern = re.compile(r"\$\{(\w+)(?:(:-|:\?)([^${}]*))?\}")

    def one(match):
        name, operator, rest = match.groups()
        if env.get(name):
            return env[name]
        if operator == ":?":
            raise AssertionError(f"compose refuses to start without {name}: {rest}")
        return rest or ""

    while pattern.search(value):
        value = pattern.sub(one, value)
    return value


def web_environment(**env) -> dict:
    """The web container's environment for a .env file holding `env` (and a SECRET_KEY)."""
    env = {"SECRET_KEY": "k" * 20 + "Z9#x" * 10, **env}
    variables = SERVICES["web"]["environment"]
    return {key: interpolate(str(value), env) for key, value in variables.items()}


def test_dockerignore_keeps_env_files_out_of_the_image():
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for secret in (".env", ".env.production", ".env.local"):
        assert any(fnmatch.fnmatch(secret, pattern) for pattern in patterns), secret
    assert "COPY . ." in (ROOT / "Dockerfile").read_text()  # what .dockerignore guards


def test_only_caddy_is_published_and_it_serves_http_and_https():
    published = {name: service.get("ports", []) for name, service in SERVICES.items()}
    assert {name for name, ports in published.items() if ports} == {"caddy"}
    assert {"80:80", "443:443"} <= set(published["caddy"])
    mounts = SERVICES["caddy"]["volumes"]
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in mounts
    caddyfile = (ROOT / "Caddyfile").read_text()
    assert f"reverse_proxy web:{GUNICORN_PORT}" in caddyfile
    assert "{$ITPULSE_DOMAIN:localhost} {" in caddyfile
    assert SERVICES["caddy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_gunicorn_trusts_caddy_alone():
    caddy = SERVICES["caddy"]["networks"]["edge"]["ipv4_address"]
    subnet = COMPOSE["networks"]["edge"]["ipam"]["config"][0]["subnet"]
    assert ipaddress.ip_address(caddy) in ipaddress.ip_network(subnet)
    assert web_environment()["ITPULSE_TRUSTED_PROXIES"] == caddy
    # Only the web app shares the edge network with Caddy.
    on_edge = {
        name for name, service in SERVICES.items() if "edge" in (service.get("networks") or [])
    }
    assert on_edge == {"web", "caddy"}


def test_the_public_name_gives_the_base_url_and_allowed_hosts():
    assert web_environment()["ITPULSE_BASE_URL"] == "https://localhost"
    named = web_environment(ITPULSE_DOMAIN="pulse.example.org")
    assert named["ITPULSE_BASE_URL"] == "https://pulse.example.org"
    assert named["ALLOWED_HOSTS"] == "pulse.example.org"
    assert SERVICES["caddy"]["environment"]["ITPULSE_DOMAIN"] == "${ITPULSE_DOMAIN:-localhost}"
    with pytest.raises(AssertionError, match="SECRET_KEY"):
        interpolate(SERVICES["web"]["environment"]["SECRET_KEY"], {})


def test_compose_settings_pass_check_deploy():
    env = web_environment(ITPULSE_DOMAIN="pulse.example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_web_health_check_passes_against_gunicorn_as_compose_runs_it():
    # Compose's own environment: its database and broker names do not resolve here, and these
    # requests need neither.
    env = web_environment()
    check = SERVICES["web"]["healthcheck"]["test"]
    assert check[:3] == ["CMD", "python", "-c"]
    with gunicorn_servers() as start:
        port = start(**env)
        code = check[3].replace(f"'127.0.0.1', {GUNICORN_PORT}", f"'127.0.0.1', {port}")
        assert code != check[3]
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={"PATH": os.environ["PATH"], **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        # From anything but Caddy, an https claim counts for nothing: sent to HTTPS.
        status, headers = get(
            port, "/accounts/login/", Host="localhost", **{"X-Forwarded-Proto": "https"}
        )
        assert status == 301 and headers["location"] == "https://localhost/accounts/login/"
