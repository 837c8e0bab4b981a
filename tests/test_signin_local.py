"""Password sign-in (allauth behind /accounts/login/): who gets in, who is refused, the lockout
with its 429, ITPULSE_LOCAL_LOGIN, sign-out, the admin's door, and the audit trail of it all."""

from datetime import timedelta

import pytest

from audit.models import AuditEvent
from signin import lockout

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
ELSEWHERE = "192.0.2.7"  # another client address (TEST-NET-1: documentation only)


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"login": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return client.get("/dashboard/").status_code == 200


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


class TestSignIn:
    def test_the_page_offers_username_password_and_a_reset_link(self, client):
        page = client.get(LOGIN)
        assert page.status_code == 200
        html = page.content.decode()
        assert 'name="login"' in html and 'name="password"' in html
        assert 'href="/accounts/password/reset/"' in html
        assert "single sign-on" not in html  # no OIDC_ISSUER

    def test_it_is_in_dutch_too(self, client):
        page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="nl")
        assert "Aanmelden" in page.content.decode()
        assert "Wachtwoord vergeten?" in page.content.decode()

    def test_a_user_signs_in_with_username_and_password(self, client, alice):
        response = sign_in(client, "alice", "password")
        assert response.status_code == 302 and response["Location"] == "/"
        assert signed_in(client)
        [event] = events(AuditEvent.Action.SIGNED_IN)
        assert (event.actor, event.target, event.ip) == (alice, f"user {alice.pk}", "127.0.0.1")
        assert event.details == {"methods": ["password"]}

    def test_it_goes_where_it_was_sent_from(self, client, alice):
        response = client.post(
            f"{LOGIN}?next=/dashboard/", {"login": "alice", "password": "password"}
        )
        assert response["Location"] == "/dashboard/"

    def test_a_wrong_password_is_refused_and_recorded(self, client, alice):
        response = sign_in(client, "alice", "wrong")
        assert response.status_code == 200
        assert "not correct" in response.content.decode()
        assert not signed_in(client)
        [event] = events(AuditEvent.Action.SIGN_IN_FAILED)
        assert event.actor is None and event.target == f"user {alice.pk}"
        assert event.details == {"reason": "wrong_password", "username": "alice"}

    def test_an_unknown_username_is_recorded_without_it(self, client, db):
        # What was typed may be a password in the wrong field: it is not kept.
        sign_in(client, "Summer2026!", "x")
        [event] = events(AuditEvent.Action.SIGN_IN_FAILED)
        assert event.target == "" and event.details == {
            "reason": "wrong_password",
            "unknown_username": True,
        }
        assert "Summer2026!" not in str(event.details)

    def test_signing_out_ends_the_session_and_is_recorded(self, client, alice):
        sign_in(client, "alice", "password")
        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert not signed_in(client)
        [event] = events(AuditEvent.Action.SIGNED_OUT)
        assert event.actor == alice

    def test_the_admin_signs_in_through_this_page(self, client, django_user_model):
        django_user_model.objects.create_superuser("root", "root@example.org", "password")
        response = client.get("/admin/login/?next=/admin/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
        # The admin's own form takes no password (it would bypass lockout and second factor).
        client.post("/admin/login/", {"username": "root", "password": "password"})
        assert client.get("/admin/").status_code == 302


class TestLockout:
    """5 failures for one username from one address within 15 minutes: refused there for 15
    minutes with 429, even with the right password."""

    def fail(self, client, times, username="alice", **extra):
        for _ in range(times):
            assert sign_in(client, username, "wrong", **extra).status_code == 200

    def test_the_sixth_attempt_is_refused_even_with_the_right_password(self, client, alice, frozen):
        self.fail(client, 5)
        response = sign_in(client, "alice", "password")
        assert response.status_code == 429
        assert response["Retry-After"] == "900"
        assert "Too many failed sign-ins for this username from your address" in (
            response.content.decode()
        )
        assert "Try again after 11:15." in response.content.decode()  # 10:15 UTC, in Amsterdam
        assert not signed_in(client)

    def test_the_message_is_translated(self, client, alice, frozen):
        self.fail(client, 5)
        response = sign_in(client, "alice", "password", HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 429
        assert "Te veel mislukte aanmeldingen" in response.content.decode()

    def test_it_is_recorded_once_as_a_lockout(self, client, alice, frozen):
        self.fail(client, 5)
        sign_in(client, "alice", "password")
        [locked] = events(AuditEvent.Action.LOCKED_OUT)
        assert locked.target == f"user {alice.pk}" and locked.ip == "127.0.0.1"
        assert locked.details["failures"] == 5
        reasons = [e.details["reason"] for e in events(AuditEvent.Action.SIGN_IN_FAILED)]
        assert reasons == ["wrong_password"] * 5 + ["locked_out"]
        assert not events(AuditEvent.Action.SIGNED_IN)

    def test_four_failures_do_not_lock(self, client, alice, frozen):
        self.fail(client, 4)
        assert sign_in(client, "alice", "password").status_code == 302

    def test_it_lifts_after_15_minutes(self, client, alice, frozen):
        self.fail(client, 5)
        frozen.shift(timedelta(minutes=14, seconds=59))
        assert sign_in(client, "alice", "password").status_code == 429
        frozen.shift(timedelta(seconds=1))
        assert sign_in(client, "alice", "password").status_code == 302
        assert signed_in(client)

    def test_the_lock_holds_15_minutes_from_the_fifth_failure(self, client, alice, frozen):
        self.fail(client, 4)
        frozen.shift(timedelta(minutes=10))
        self.fail(client, 1)
        frozen.shift(timedelta(minutes=14))
        assert sign_in(client, "alice", "password").status_code == 429

    def test_failures_older_than_15_minutes_do_not_count(self, client, alice, frozen):
        self.fail(client, 4)
        frozen.shift(timedelta(minutes=15))
        self.fail(client, 4)
        assert sign_in(client, "alice", "password").status_code == 302

    def test_a_success_starts_the_count_again(self, client, alice, frozen):
        self.fail(client, 4)
        assert sign_in(client, "alice", "password").status_code == 302
        client.post("/accounts/logout/")
        self.fail(client, 4)
        assert sign_in(client, "alice", "password").status_code == 302

    def test_only_that_address_is_refused(self, client, alice, frozen):
        self.fail(client, 5)
        assert sign_in(client, "alice", "password").status_code == 429
        assert sign_in(client, "alice", "password", REMOTE_ADDR=ELSEWHERE).status_code == 302

    def test_only_that_username_is_refused(self, client, alice, carol, frozen):
        self.fail(client, 5)
        assert sign_in(client, "carol", "password").status_code == 302

    def test_the_username_is_matched_without_case(self, client, alice, frozen):
        self.fail(client, 3)
        self.fail(client, 2, username="ALICE")
        assert sign_in(client, "alice", "password").status_code == 429

    def test_attempts_in_flight_together_cannot_pass_the_limit(self, db, frozen):
        # Counted before the password is checked: a sixth attempt started while five are still
        # being checked is refused unchecked.
        from django.utils import timezone

        now = timezone.now()
        attempts = [lockout.attempt_begin(username="alice", ip="::1", now=now) for _ in range(6)]
        assert [a.locked_until is None for a in attempts] == [True] * 5 + [False]


class TestLocalLoginOff:
    """ITPULSE_LOCAL_LOGIN=false: single sign-on for everyone, passwords for superusers only."""

    @pytest.fixture(autouse=True)
    def sso_only(self, settings):
        settings.ITPULSE_LOCAL_LOGIN = False
        settings.SSO_ENABLED = True

    @pytest.fixture
    def root(self, django_user_model):
        return django_user_model.objects.create_superuser("root", "root@example.org", "password")

    def test_the_page_shows_only_single_sign_on(self, client):
        html = client.get(LOGIN).content.decode()
        assert "Sign in with ITPulse single sign-on" in html
        assert 'action="/accounts/oidc/sso/login/"' in html
        assert 'name="password"' not in html
        assert "Forgot your password?" not in html
        assert 'href="?local=1"' in html

    def test_a_user_cannot_sign_in_with_a_password_even_by_posting(self, client, alice):
        for url in (LOGIN, f"{LOGIN}?local=1"):
            response = client.post(url, {"login": "alice", "password": "password"})
            assert response.status_code == 200
            assert not signed_in(client)
        reasons = [e.details["reason"] for e in events(AuditEvent.Action.SIGN_IN_FAILED)]
        assert reasons == ["password_sign_in_off"] * 2

    def test_a_superuser_can(self, client, root):
        page = client.get(f"{LOGIN}?local=1").content.decode()
        assert 'name="password"' in page and "for superusers only" in page
        response = client.post(f"{LOGIN}?local=1", {"login": "root", "password": "password"})
        assert response.status_code == 302
        assert client.get("/admin/").status_code == 200

    def test_refusals_count_towards_the_lockout(self, client, alice, frozen):
        for _ in range(5):
            sign_in(client, "alice", "password")
        assert sign_in(client, "alice", "password").status_code == 429
