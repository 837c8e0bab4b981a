"""Password hygiene: reset by e-mail from the sign-in page, Django's validators plus the offline
breached-password list, a change that ends the user's other sessions, and sessions that end
ITPULSE_SESSION_HOURS after their sign-in."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.test import Client

from audit.models import AuditEvent
from signin.passwords import BreachedPasswordValidator

from .conftest import DEPLOYED_PASSWORD_HASHERS

pytestmark = pytest.mark.django_db

NEW = "Tulip-harbour-1987"
SLOW_HASHES = {"pbkdf2_sha256", "argon2", "scrypt", "bcrypt_sha256"}


def sign_in(client, username="alice", password="password"):  # noqa: S107
    response = client.post("/accounts/login/", {"login": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def signed_in(client) -> bool:
    return client.get("/dashboard/").status_code == 200


@pytest.fixture
def alice_with_address(alice):
    alice.email = "alice@example.org"
    alice.save()
    return alice


class TestReset:
    def reset_link(self, client) -> str:
        client.post("/accounts/password/reset/", {"email": "alice@example.org"})
        [message] = mail.outbox
        assert message.to == ["alice@example.org"]
        return re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body)[1]

    def test_a_link_by_mail_sets_a_new_password(self, client, alice_with_address):
        form = client.get(self.reset_link(client), follow=True)
        assert form.status_code == 200
        set_password = form.redirect_chain[-1][0]
        response = client.post(set_password, {"password1": NEW, "password2": NEW})
        assert response.status_code == 302
        assert sign_in(Client(), "alice", NEW)
        [event] = AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_CHANGED)
        assert event.actor == alice_with_address and event.details == {"change": "reset"}

    def test_the_new_password_must_pass_the_validators(self, client, alice_with_address):
        set_password = client.get(self.reset_link(client), follow=True).redirect_chain[-1][0]
        for bad, why in [
            ("short1!", "too short"),
            ("iloveyou12345", "data breach"),
            ("1234567890123", "entirely numeric"),
        ]:
            response = client.post(set_password, {"password1": bad, "password2": bad})
            assert response.status_code == 200 and why in response.content.decode(), bad

    def test_an_unknown_address_gets_no_mail(self, client, alice_with_address):
        response = client.post("/accounts/password/reset/", {"email": "eve@example.org"})
        assert response.status_code == 302  # the same answer: nobody learns who has an account
        assert mail.outbox == []


class TestBreachedPasswords:
    @pytest.mark.parametrize("password", ["iloveyou12345", "qwertyuiop", "1q2w3e4r5t6y"])
    def test_leaked_passwords_are_refused(self, password):
        with pytest.raises(Exception, match="data breach"):
            BreachedPasswordValidator().validate(password)

    @pytest.mark.parametrize("password", [NEW, "correct horse battery staple"])
    def test_others_pass(self, password):
        BreachedPasswordValidator().validate(password)

    def test_it_needs_no_network(self, monkeypatch):
        import socket

        def no_network(*args, **kwargs):
            raise AssertionError("the check went to the network")

        monkeypatch.setattr(socket, "create_connection", no_network)
        monkeypatch.setattr(socket.socket, "connect", no_network)
        with pytest.raises(Exception, match="data breach"):
            BreachedPasswordValidator().validate("iloveyou12345")


class TestHashing:
    def test_the_deployed_settings_hash_slowly_and_refuse_a_fast_hash(self, settings, alice):
        """The suite hashes with MD5 for speed (tests/conftest.py); what is deployed must hash
        with a slow, salted algorithm, and must not accept an MD5 hash found in the database."""
        assert identify_hasher(alice.password).algorithm == "md5"  # as the suite made it
        settings.PASSWORD_HASHERS = DEPLOYED_PASSWORD_HASHERS
        with pytest.raises(ValueError, match="Unknown password hashing algorithm"):
            identify_hasher(alice.password)
        assert not alice.check_password("password")
        alice.set_password(NEW)
        assert identify_hasher(alice.password).algorithm in SLOW_HASHES
        assert alice.check_password(NEW)


class TestChange:
    def test_a_change_ends_the_other_sessions_and_keeps_this_one(self, alice):
        here, elsewhere = Client(), Client()
        sign_in(here)
        sign_in(elsewhere)
        response = here.post(
            "/accounts/password/change/",
            {"oldpassword": "password", "password1": NEW, "password2": NEW},
        )
        assert response.status_code == 302
        assert signed_in(here)
        assert not signed_in(elsewhere)
        event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGED)
        assert event.details == {"change": "changed"}

    def test_a_breached_password_is_refused(self, client, alice):
        sign_in(client)
        response = client.post(
            "/accounts/password/change/",
            {"oldpassword": "password", "password1": "iloveyou12345", "password2": "iloveyou12345"},
        )
        assert response.status_code == 200 and "data breach" in response.content.decode()


class TestSessionLength:
    """ITPULSE_SESSION_HOURS (8 by default) after the sign-in, however busy the session was."""

    def test_a_session_ends_8_hours_after_its_sign_in(self, client, alice, frozen):
        sign_in(client)
        frozen.shift(timedelta(hours=7, minutes=59))
        # A session written to late would otherwise live another 8 hours from then.
        session = client.session
        session["touched"] = True
        session.save()
        assert signed_in(client)
        frozen.shift(timedelta(minutes=1, seconds=1))
        response = client.get("/dashboard/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fdashboard%2F"
        assert not signed_in(client)
        event = AuditEvent.objects.get(action=AuditEvent.Action.SIGNED_OUT)
        assert event.actor == alice and event.details == {"reason": "session_ended"}

    def test_the_hours_are_a_setting(self, client, alice, frozen, settings):
        settings.ITPULSE_SESSION_HOURS = 2
        sign_in(client)
        frozen.shift(timedelta(hours=2, seconds=1))
        assert not signed_in(client)

    def test_the_cookie_lasts_as_long(self, client, alice, settings):
        response = sign_in(client)
        assert response.cookies["sessionid"]["max-age"] == 8 * 3600 == settings.SESSION_COOKIE_AGE
