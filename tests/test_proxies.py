"""X-Forwarded-For and X-Forwarded-Proto count only from ITPULSE_TRUSTED_PROXIES (issue 14).

Addresses are from the documentation ranges: 192.0.2.x are proxies, 198.51.100.x clients and
203.0.113.x someone making headers up. /whoami/ (tests/urls_probe.py) says what the app made of
a request: the client address every feature reads (surveys.client_address) and is_secure().
"""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from tests.gunicorn_server import get, gunicorn_servers
from tests.hooks import payload

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
PROXY, CLIENT, FORGER = "192.0.2.10", "198.51.100.7", "203.0.113.66"


@pytest.fixture
def trust(settings):
    """Trust these proxies, as ITPULSE_TRUSTED_PROXIES does (settings derive the rest)."""
    settings.ROOT_URLCONF = "tests.urls_probe"

    def configure(*networks: str):
        settings.ITPULSE_TRUSTED_PROXIES = networks
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if networks else None

    configure()
    return configure


def whoami(peer: str, forwarded_for: str | None = None, proto: str | None = None) -> dict:
    headers = {"REMOTE_ADDR": peer}
    if forwarded_for is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    if proto is not None:
        headers["HTTP_X_FORWARDED_PROTO"] = proto
    return Client().get("/whoami/", **headers).json()


def test_with_no_trusted_proxy_the_headers_count_for_nothing(trust):
    assert whoami(FORGER, forwarded_for=CLIENT, proto="https") == {
        "client": FORGER,
        "secure": False,
    }


def test_a_trusted_proxy_names_the_client_and_the_scheme(trust):
    trust(PROXY)
    assert whoami(PROXY, forwarded_for=CLIENT, proto="https") == {"client": CLIENT, "secure": True}
    assert whoami(PROXY, forwarded_for=CLIENT, proto="http")["secure"] is False
    assert whoami(PROXY)["client"] == PROXY  # a proxy's own request (e.g. a health check)


def test_anyone_else_is_not_believed_even_when_a_proxy_is_trusted(trust):
    trust(PROXY)
    assert whoami(FORGER, forwarded_for=CLIENT, proto="https") == {
        "client": FORGER,
        "secure": False,
    }


def test_what_the_client_claims_left_of_the_proxys_entry_is_ignored(trust):
    trust(PROXY)
    # The client sent "X-Forwarded-For: 203.0.113.66"; the proxy appended the address it saw.
    assert whoami(PROXY, forwarded_for=f"{FORGER}, {CLIENT}")["client"] == CLIENT


def test_a_chain_of_trusted_proxies_is_walked_back_to_the_client(trust):
    trust("192.0.2.0/24")
    chain = f"{FORGER}, {CLIENT}, 192.0.2.20, 192.0.2.30"
    assert whoami(PROXY, forwarded_for=chain)["client"] == CLIENT
    # Only trusted proxies all the way: the leftmost address is the best there is.
    assert whoami(PROXY, forwarded_for="192.0.2.20, 192.0.2.30")["client"] == "192.0.2.20"


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        (f"{CLIENT}:4711", CLIENT),  # Azure Application Gateway adds the port
        ("[2001:db8::7]:4711", "2001:db8::7"),
        ("2001:db8::7", "2001:db8::7"),
        ("unknown", PROXY),  # nothing usable: the proxy itself
        (f"{CLIENT}, garbage", PROXY),
        ("", PROXY),
    ],
)
def test_address_forms_proxies_write(trust, forwarded_for, client):
    trust(PROXY)
    assert whoami(PROXY, forwarded_for=forwarded_for)["client"] == client


def test_an_ipv4_proxy_seen_through_a_dual_stack_socket_is_trusted(trust):
    trust(PROXY)
    assert whoami(f"::ffff:{PROXY}", forwarded_for=CLIENT)["client"] == CLIENT


def test_webhook_rate_limits_count_per_client_behind_the_proxy(trust, settings, team, frozen):
    """What the client address is for: unsigned webhook calls are limited per client, so one
    client behind the proxy does not lock out another, and a client outside cannot dodge its
    limit by making up X-Forwarded-For."""
    settings.ITPULSE_HOOK_RATE = "2/minute"
    frozen.shift(timedelta(seconds=5))
    body = payload("generic")

    def hook(peer: str, forwarded_for: str) -> int:
        return (
            Client()
            .post(
                "/api/v1/hooks/nope",
                body,
                content_type="application/json",
                REMOTE_ADDR=peer,
                HTTP_X_FORWARDED_FOR=forwarded_for,
            )
            .status_code
        )

    trust(PROXY)
    assert [hook(PROXY, CLIENT) for _ in range(3)] == [404, 404, 429]
    assert hook(PROXY, "198.51.100.8") == 404  # another client, same proxy
    assert [hook(FORGER, f"198.51.100.{n}") for n in range(20, 23)] == [404, 404, 429]


@pytest.mark.parametrize("value", ["10.0.0.300", "proxy.example.org", "192.0.2.10/33"])
def test_a_trusted_proxy_that_is_not_an_address_stops_the_start(value):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**os.environ, "ITPULSE_TRUSTED_PROXIES": f"192.0.2.10, {value}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "ITPULSE_TRUSTED_PROXIES: expected IP addresses or networks" in result.stderr
    assert repr(value) in result.stderr


# --- through gunicorn, as deployed (itpulse/gunicorn.py), over a real socket -------------------


@pytest.fixture
def serve():
    with gunicorn_servers() as start:
        yield start


HTTPS = {"ITPULSE_BASE_URL": "https://pulse.example.org"}


def test_https_through_a_trusted_proxy_gets_hsts_and_secure_cookies(serve):
    port = serve(**HTTPS, ITPULSE_TRUSTED_PROXIES="127.0.0.1")
    status, headers = get(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["strict-transport-security"] == "max-age=31536000"
    assert "Secure" in headers["set-cookie"]
    assert "default-src 'self'" in headers["content-security-policy"]
    # Plain HTTP through the same proxy is sent to HTTPS.
    status, headers = get(port, "/accounts/login/?next=/dashboard/")
    assert status == 301
    assert headers["location"] == "https://pulse.example.org/accounts/login/?next=/dashboard/"
    assert "strict-transport-security" not in headers  # HSTS only means something over HTTPS


def test_an_untrusted_peer_cannot_claim_https(serve):
    """Neither Django nor gunicorn (whose own default trusts 127.0.0.1) believe the header."""
    port = serve(**HTTPS, ITPULSE_TRUSTED_PROXIES="")
    status, headers = get(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert status == 301 and headers["location"].startswith("https://")


def test_subdomains_and_the_length_of_hsts_are_the_organisations_choice(serve):
    port = serve(
        **HTTPS,
        ITPULSE_TRUSTED_PROXIES="127.0.0.1",
        ITPULSE_HSTS_SECONDS="600",
        ITPULSE_HSTS_INCLUDE_SUBDOMAINS="true",
    )
    _status, headers = get(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert headers["strict-transport-security"] == "max-age=600; includeSubDomains"


def test_over_plain_http_there_is_no_hsts_and_no_redirect(serve):
    port = serve(ITPULSE_BASE_URL="http://pulse.example.org")
    status, headers = get(port, "/accounts/login/", **{"X-Forwarded-Proto": "https"})
    assert status == 200 and "strict-transport-security" not in headers
