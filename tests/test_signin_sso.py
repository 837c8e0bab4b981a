"""Single sign-on through a real OpenID Connect provider running as a process of its own
(tests/oidc_provider/: django-oauth-toolkit, its RSA signing key made here), against ITPulse on
pytest-django's live server, the whole redirect dance driven by requests: discovery, PKCE, the
provider's own sign-in form, the code exchange and the signed ID token are all real."""

import html
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import get_user_model

from accounts.roles import Role
from accounts.services import roles_of
from audit.models import AuditEvent
from itpulse.settings import _role_map
from surveys.models import Team

from .factories import TeamFactory

ROOT = Path(__file__).resolve().parents[1]
CLIENT_ID, CLIENT_SECRET = "itpulse", "provider-test-secret"
PASSWORD = "olivia's provider password"
ROLE_MAP = (
    "itpulse-managers=it_manager,itpulse-admins=administrator,"
    "sd-leads=team_lead:servicedesk,auditors=auditor"
)


@dataclass
class Provider:
    url: str
    env: dict
    log: Path

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "django", *args],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )

    def person(self, username: str, *groups: str) -> None:
        """Make the person exist at the provider with exactly these groups."""
        self.manage(
            "provider_person",
            username,
            PASSWORD,
            f"--email={username}@example.org",
            f"--name={username.title()} Example",
            *(f"--group={group}" for group in groups),
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    url = f"http://127.0.0.1:{_free_port()}"
    env = {
        "PATH": os.environ["PATH"],
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "PROVIDER_DB": str(folder / "provider.sqlite3"),
        "PROVIDER_RSA_KEY": pem,
        "PROVIDER_URL": url,
    }
    provider = Provider(url, env, folder / "provider.log")
    provider.manage("migrate", "-v0")
    provider.manage(
        "provider_client",
        CLIENT_ID,
        CLIENT_SECRET,
        f"{live_server.url}/accounts/oidc/sso/login/callback/",
    )
    with provider.log.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", "--noreload", url.split("//")[1]],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                discovery = requests.get(f"{url}/o/.well-known/openid-configuration", timeout=2)
                if discovery.status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"the OIDC provider did not start:\n{provider.log.read_text()}")
            time.sleep(0.2)
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider):
    """ITPulse configured as OIDC_ISSUER / OIDC_CLIENT_ID / OIDC_CLIENT_SECRET would."""
    settings.SSO_ENABLED = True
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Example",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": f"{provider.url}/o"},
                }
            ],
        }
    }
    settings.OIDC_ROLE_MAP = _role_map(ROLE_MAP)
    settings.OIDC_GROUPS_CLAIM = "groups"
    return provider


@pytest.fixture
def servicedesk(transactional_db):
    return TeamFactory(name="Service desk", slug="servicedesk")


def _field(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page)[1])


def sign_in_through_sso(base: str, username: str) -> requests.Session:
    """What a browser does: the button on the sign-in page, the provider's form, back."""
    browser = requests.Session()
    page = browser.get(f"{base}/accounts/login/", timeout=10)
    assert "Sign in with ITPulse single sign-on" in page.text
    at_provider = browser.post(
        f"{base}/accounts/oidc/sso/login/",
        data={"csrfmiddlewaretoken": _field(page.text, "csrfmiddlewaretoken"), "process": "login"},
        headers={"Referer": page.url},
        timeout=10,
    )
    assert "Test identity provider" in at_provider.text, at_provider.text[:2000]
    back = browser.post(
        at_provider.url,
        data={
            "csrfmiddlewaretoken": _field(at_provider.text, "csrfmiddlewaretoken"),
            "username": username,
            "password": PASSWORD,
            "next": _field(at_provider.text, "next"),
        },
        headers={"Referer": at_provider.url},
        timeout=20,
    )
    assert back.url.startswith(base), back.url
    return browser


def itpulse_user(username: str):
    return get_user_model().objects.get(username=username)


def led_teams(user) -> set[str]:
    return set(Team.objects.filter(leads=user).values_list("slug", flat=True))


def test_the_first_sign_in_makes_the_user_with_the_roles_of_their_groups(
    sso, live_server, servicedesk
):
    sso.person("olivia", "itpulse-managers", "sd-leads")
    browser = sign_in_through_sso(live_server.url, "olivia")
    user = itpulse_user("olivia")
    assert (user.email, user.first_name, user.has_usable_password()) == (
        "olivia@example.org",
        "Olivia",
        False,  # no password to guess: the provider signs them in
    )
    assert roles_of(user) == {Role.IT_MANAGER, Role.TEAM_LEAD}
    assert led_teams(user) == {"servicedesk"}
    assert browser.get(f"{live_server.url}/dashboard/", timeout=10).status_code == 200
    [signed_in] = AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN)
    assert signed_in.actor == user and signed_in.details == {"methods": ["sso"]}


def test_changed_groups_change_the_roles_at_the_next_sign_in(sso, live_server, servicedesk):
    sso.person("olivia", "itpulse-managers", "sd-leads")
    sign_in_through_sso(live_server.url, "olivia")
    sso.person("olivia", "auditors")
    browser = sign_in_through_sso(live_server.url, "olivia")
    user = itpulse_user("olivia")
    assert roles_of(user) == {Role.AUDITOR}
    assert led_teams(user) == set()
    assert get_user_model().objects.filter(username__startswith="olivia").count() == 1
    assert browser.get(f"{live_server.url}/audit/", timeout=10).status_code == 200
    changes = AuditEvent.objects.filter(action=AuditEvent.Action.ROLE_CHANGED).order_by("id")
    assert [(c.details["granted"], c.details["revoked"]) for c in changes] == [
        (["it_manager", "team_lead"], []),
        (["auditor"], ["it_manager", "team_lead"]),
    ]


def test_an_administrator_group_opens_the_admin(sso, live_server, servicedesk):
    sso.person("adam", "itpulse-admins")
    browser = sign_in_through_sso(live_server.url, "adam")
    assert roles_of(itpulse_user("adam")) == {Role.ADMINISTRATOR}
    assert browser.get(f"{live_server.url}/admin/", timeout=10).status_code == 200


def test_an_unknown_group_gives_no_role(sso, live_server, servicedesk):
    sso.person("uma", "cafeteria", "ITPULSE-MANAGERS")  # group names match exactly
    browser = sign_in_through_sso(live_server.url, "uma")
    user = itpulse_user("uma")
    assert roles_of(user) == set() and led_teams(user) == set()
    assert browser.get(f"{live_server.url}/dashboard/", timeout=10).status_code != 200


def test_the_identity_provider_does_the_second_factor(sso, live_server, servicedesk, settings):
    settings.ITPULSE_REQUIRE_MFA = True
    sso.person("olivia", "itpulse-managers")
    browser = sign_in_through_sso(live_server.url, "olivia")
    assert browser.get(f"{live_server.url}/dashboard/", timeout=10).status_code == 200


def test_it_works_with_password_sign_in_switched_off(sso, live_server, servicedesk, settings):
    settings.ITPULSE_LOCAL_LOGIN = False
    sso.person("olivia", "itpulse-managers")
    browser = sign_in_through_sso(live_server.url, "olivia")
    assert browser.get(f"{live_server.url}/dashboard/", timeout=10).status_code == 200
