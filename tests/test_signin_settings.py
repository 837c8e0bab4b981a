"""The sign-in variables are read strictly: a wrong value stops the start with a line that says
what is wrong, never a silent default."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from itpulse.settings import _role_map

ROOT = Path(__file__).resolve().parents[1]
READ = (
    "import json, itpulse.settings as s; print(json.dumps({"
    "'age': s.SESSION_COOKIE_AGE, 'mfa': s.ITPULSE_REQUIRE_MFA, 'local': s.ITPULSE_LOCAL_LOGIN,"
    "'sso': s.SSO_ENABLED, 'claim': s.OIDC_GROUPS_CLAIM,"
    "'apps': s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS']}))"
)
SSO = {
    "OIDC_ISSUER": "https://login.example.org/realms/it",
    "OIDC_CLIENT_ID": "itpulse",
    "OIDC_CLIENT_SECRET": "s3cret",
}


def settings_with(tmp_path, **variables) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with only these variables set."""
    env = {
        "PATH": os.environ["PATH"],
        "ITPULSE_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "x",
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", READ], cwd=ROOT, env=env, capture_output=True, text=True
    )


def read(tmp_path, **variables) -> dict:
    result = settings_with(tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refused(tmp_path, **variables) -> str:
    result = settings_with(tmp_path, **variables)
    assert result.returncode != 0
    return result.stderr.strip().splitlines()[-1]


def test_the_defaults(tmp_path):
    values = read(tmp_path)
    assert values["age"] == 8 * 3600
    assert values["mfa"] is False  # the embedded SQLite default
    assert values["local"] is True and values["sso"] is False and values["apps"] == []
    assert values["claim"] == "groups"


def test_a_second_factor_is_required_by_default_on_postgresql(tmp_path):
    assert read(tmp_path, DATABASE_URL="postgres://u@127.0.0.1:1/x")["mfa"] is True
    off = read(tmp_path, DATABASE_URL="postgres://u@127.0.0.1:1/x", ITPULSE_REQUIRE_MFA="false")
    assert off["mfa"] is False
    assert read(tmp_path, ITPULSE_REQUIRE_MFA="true")["mfa"] is True


def test_session_hours(tmp_path):
    assert read(tmp_path, ITPULSE_SESSION_HOURS="12")["age"] == 12 * 3600
    for bad in ("0", "eight", "1.5", "-3"):
        assert "ITPULSE_SESSION_HOURS must be a whole number of hours" in refused(
            tmp_path, ITPULSE_SESSION_HOURS=bad
        )


def test_strict_booleans(tmp_path):
    assert "ITPULSE_REQUIRE_MFA must be true or false, not 'maybe'" in refused(
        tmp_path, ITPULSE_REQUIRE_MFA="maybe"
    )


def test_single_sign_on_from_the_three_variables(tmp_path):
    values = read(tmp_path, **SSO, OIDC_GROUPS_CLAIM="roles")
    assert values["sso"] is True and values["claim"] == "roles"
    [app] = values["apps"]
    assert app["provider_id"] == "sso"
    assert (app["client_id"], app["secret"]) == ("itpulse", "s3cret")
    assert app["settings"] == {"server_url": "https://login.example.org/realms/it"}


def test_single_sign_on_needs_all_three(tmp_path):
    line = refused(tmp_path, OIDC_ISSUER=SSO["OIDC_ISSUER"], OIDC_CLIENT_ID="itpulse")
    assert "missing: OIDC_CLIENT_SECRET" in line


def test_passwords_off_needs_single_sign_on(tmp_path):
    assert "ITPULSE_LOCAL_LOGIN=false needs single sign-on" in refused(
        tmp_path, ITPULSE_LOCAL_LOGIN="false"
    )
    assert read(tmp_path, **SSO, ITPULSE_LOCAL_LOGIN="false")["local"] is False


def test_a_bad_role_map_stops_the_start(tmp_path):
    line = refused(tmp_path, **SSO, OIDC_ROLE_MAP="itpulse-managers=manager")
    assert line.endswith(
        "OIDC_ROLE_MAP: unknown role 'manager' (administrator, it_manager, auditor, "
        "team_lead:<team>), not 'itpulse-managers=manager'"
    )


class TestRoleMap:
    def test_groups_to_roles_and_led_teams(self):
        raw = (
            "itpulse-managers=it_manager, itpulse-admins=administrator,"
            "sd-leads=team_lead:servicedesk,auditors=auditor,sd-leads=team_lead:network"
        )
        assert _role_map(raw) == {
            "itpulse-managers": (("it_manager", None),),
            "itpulse-admins": (("administrator", None),),
            "sd-leads": (("team_lead", "servicedesk"), ("team_lead", "network")),
            "auditors": (("auditor", None),),
        }

    def test_group_names_may_have_spaces_and_ids(self):
        raw = "IT Managers=it_manager,6f1c0e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f=auditor"
        assert set(_role_map(raw)) == {"IT Managers", "6f1c0e2a-1b2c-4d5e-8f90-0a1b2c3d4e5f"}

    def test_empty_is_no_mapping(self):
        assert _role_map("") == {} == _role_map(" , ")

    @pytest.mark.parametrize(
        ("raw", "problem"),
        [
            ("itpulse-managers", "expected group=role"),
            ("=it_manager", "expected group=role"),
            ("leads=team_lead", "team_lead needs its team's slug"),
            ("leads=team_lead:", "team_lead needs its team's slug"),
            ("leads=team_lead:two words", "team_lead needs its team's slug"),
            ("boss=it_manager:servicedesk", "it_manager is for every team"),
            ("desk=agent:servicedesk", "agents are linked to their tickets by an administrator"),
            ("x=superuser", "unknown role 'superuser'"),
        ],
    )
    def test_bad_values_say_what_is_wrong(self, raw, problem):
        with pytest.raises(ImproperlyConfigured, match=f"OIDC_ROLE_MAP: {problem}"):
            _role_map(raw)
