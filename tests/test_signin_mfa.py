"""A second factor (TOTP, with recovery codes) for administrators and IT managers when
ITPULSE_REQUIRE_MFA is on: set it up before any staff page works, then every password sign-in
asks for a code; a recovery code works once. Single sign-on leaves it to the identity provider."""

import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from audit.models import AuditEvent

pytestmark = pytest.mark.django_db

SETUP = "/accounts/2fa/totp/activate/"
CHALLENGE = "/accounts/2fa/authenticate/"


@pytest.fixture(autouse=True)
def mfa_required(settings):
    settings.ITPULSE_REQUIRE_MFA = True


def totp_code(secret: str) -> str:
    """What the person's authenticator app shows now (the test's clock is frozen)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def sign_in(client, username="alice", password="password"):  # noqa: S107
    return client.post("/accounts/login/", {"login": username, "password": password})


def set_up_totp(client) -> str:
    """Sign in, follow the redirect to the set-up and activate an authenticator: its secret."""
    sign_in(client)
    assert client.get(SETUP).status_code == 200
    secret = client.session["mfa.totp.secret"]
    response = client.post(SETUP, {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()[:3000]
    return secret


def sign_out(client):
    client.post("/accounts/logout/")


def dashboard(client) -> int:
    return client.get("/dashboard/").status_code


class TestSetUp:
    @pytest.mark.parametrize("page", ["/dashboard/", "/staff/tickets/", "/", "/admin/"])
    def test_an_it_manager_without_a_second_factor_is_sent_to_set_it_up(self, client, alice, page):
        response = sign_in(client)
        assert response.status_code == 302
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"] == f"{SETUP}?required=1"

    def test_the_set_up_page_says_why_and_draws_the_qr_code_inline(self, client, alice, frozen):
        sign_in(client)
        html = client.get(f"{SETUP}?required=1").content.decode()
        assert "Your role needs a second factor" in html
        assert "<svg" in html and "data:image" not in html  # nothing a CSP would have to allow
        assert client.session["mfa.totp.secret"] in html  # for typing it in instead

    def test_a_superuser_is_sent_too(self, client, django_user_model):
        django_user_model.objects.create_superuser("root", "root@example.org", "password")
        sign_in(client, "root")
        assert client.get("/admin/")["Location"] == f"{SETUP}?required=1"

    def test_signing_out_still_works(self, client, alice):
        sign_in(client)
        sign_out(client)
        assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")

    def test_a_code_from_the_app_completes_the_set_up(
        self, client, alice, frozen, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            set_up_totp(client)
        assert dashboard(client) == 200
        assert client.get("/staff/tickets/").status_code == 200
        assert Authenticator.objects.filter(user=alice, type="totp").exists()
        changes = AuditEvent.objects.filter(action=AuditEvent.Action.MFA_CHANGED)
        assert {(e.actor, e.details["type"], e.details["change"]) for e in changes} == {
            (alice, "totp", "added"),
            (alice, "recovery_codes", "added"),
        }

    def test_a_wrong_code_does_not(self, client, alice, frozen):
        sign_in(client)
        client.get(SETUP)
        response = client.post(SETUP, {"code": "000000"})
        assert response.status_code == 200
        assert dashboard(client) == 302

    def test_an_administrator_is_sent_too(self, client, carol):
        sign_in(client, "carol")
        assert client.get("/staff/delivery/")["Location"] == f"{SETUP}?required=1"

    def test_others_are_not_asked(self, client, bob, dave, audrey, charlie):
        for person in ("bob", "dave", "audrey", "charlie"):
            sign_in(client, person)
            assert client.get("/").get("Location") != f"{SETUP}?required=1", person
            sign_out(client)

    def test_nobody_is_asked_when_it_is_off(self, client, alice, settings):
        settings.ITPULSE_REQUIRE_MFA = False
        sign_in(client)
        assert dashboard(client) == 200

    def test_a_single_sign_on_session_is_not_asked(self, client, alice):
        client.force_login(alice)
        session = client.session
        session["account_authentication_methods"] = [
            {"method": "socialaccount", "at": time.time(), "provider": "sso", "uid": "a1"}
        ]
        session["account_authentication_methods_user"] = str(alice.pk)
        session.save()
        assert dashboard(client) == 200


class TestSignInWithASecondFactor:
    def test_a_password_alone_no_longer_signs_in(self, client, alice, frozen):
        set_up_totp(client)
        sign_out(client)
        frozen.shift(timedelta(seconds=30))
        response = sign_in(client)
        assert response["Location"] == CHALLENGE
        assert dashboard(client) == 302  # not signed in yet

    def test_the_code_completes_it(self, client, alice, frozen):
        secret = set_up_totp(client)
        sign_out(client)
        frozen.shift(timedelta(seconds=30))
        sign_in(client)
        response = client.post(CHALLENGE, {"code": totp_code(secret)})
        assert response.status_code == 302
        assert dashboard(client) == 200
        event = AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN).order_by("id").last()
        assert event.actor == alice and event.details == {"methods": ["password", "totp"]}

    def test_a_wrong_code_is_refused_and_recorded(self, client, alice, frozen):
        set_up_totp(client)
        sign_out(client)
        sign_in(client)
        response = client.post(CHALLENGE, {"code": "123456"})
        assert response.status_code == 200
        assert dashboard(client) == 302
        failed = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN_FAILED)
        assert failed.target == f"user {alice.pk}"
        assert failed.details == {"reason": "wrong_code", "type": "totp", "username": "alice"}

    def test_a_code_cannot_be_used_twice(self, client, alice, frozen):
        secret = set_up_totp(client)
        sign_out(client)
        frozen.shift(timedelta(seconds=30))
        sign_in(client)
        code = totp_code(secret)
        client.post(CHALLENGE, {"code": code})
        sign_out(client)
        sign_in(client)
        assert client.post(CHALLENGE, {"code": code}).status_code == 200
        assert dashboard(client) == 302

    def test_codes_cannot_be_guessed(self, client, alice, frozen):
        secret = set_up_totp(client)
        sign_out(client)
        frozen.shift(timedelta(seconds=30))
        sign_in(client)
        for guess in ("111111", "222222", "333333", "444444", "555555"):
            client.post(CHALLENGE, {"code": guess})
        response = client.post(CHALLENGE, {"code": totp_code(secret)})
        assert "Too many failed login attempts" in response.content.decode()
        assert dashboard(client) == 302

    def test_a_recovery_code_works_once(self, client, alice, frozen):
        set_up_totp(client)
        codes = RecoveryCodes(
            Authenticator.objects.get(user=alice, type="recovery_codes")
        ).get_unused_codes()
        assert len(codes) == 10
        sign_out(client)
        sign_in(client)
        assert client.post(CHALLENGE, {"code": codes[0]}).status_code == 302
        assert dashboard(client) == 200
        event = AuditEvent.objects.filter(action=AuditEvent.Action.SIGNED_IN).order_by("id").last()
        assert event.details == {"methods": ["password", "recovery_codes"]}
        sign_out(client)
        sign_in(client)
        assert client.post(CHALLENGE, {"code": codes[0]}).status_code == 200
        assert dashboard(client) == 302
        assert client.post(CHALLENGE, {"code": codes[1]}).status_code == 302
        assert dashboard(client) == 200
