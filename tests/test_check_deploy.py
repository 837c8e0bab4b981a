"""`python manage.py check --deploy` says nothing with production settings (issue 14): DEBUG
off, an https base URL, a real secret from the environment, PostgreSQL. Run as a separate
process with only that environment, as an operator would before going live."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "ITPULSE_BASE_URL": "https://pulse.example.org",
    "ALLOWED_HOSTS": "pulse.example.org",
    "DATABASE_URL": "postgres://itpulse:secret@db.example.org:5432/itpulse",
    "REDIS_URL": "redis://redis.example.org:6379/0",
    "ITPULSE_TRUSTED_PROXIES": "172.30.80.0/24",
}


def check_deploy(**overrides) -> subprocess.CompletedProcess:
    # Only what production has: nothing of this machine's (or CI's) own settings leaks in.
    env = {
        "PATH": os.environ["PATH"],
        "SECRET_KEY": secrets.token_urlsafe(50),
        **PRODUCTION,
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={key: value for key, value in env.items() if value is not None},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_silent_with_production_settings():
    result = check_deploy()
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("overrides", "warning"),
    [
        ({"ITPULSE_HSTS_SECONDS": "0"}, "security.W004"),  # HSTS turned off
        ({"DEBUG": "true"}, "security.W018"),
        ({"SECRET_KEY": "short"}, "security.W009"),
        ({"ITPULSE_BASE_URL": "http://pulse.example.org"}, "security.W008"),
    ],
)
def test_check_deploy_speaks_up_when_a_rule_is_broken(overrides, warning):
    result = check_deploy(**overrides)
    assert result.returncode != 0
    assert warning in result.stderr


def test_a_production_start_without_a_secret_is_refused():
    result = check_deploy(SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["1 year", "-1", "³"])
def test_hsts_seconds_must_be_a_whole_number(value):
    result = check_deploy(ITPULSE_HSTS_SECONDS=value)
    assert result.returncode != 0
    assert "ITPULSE_HSTS_SECONDS must be a whole number of seconds" in result.stderr
