"""Issue 14: administrators make and revoke API tokens in the app, since issue 17 in the settings
area (/settings/tokens/; the old /staff/api-tokens/ addresses redirect). Each action asks a model
permission, never is_staff; the new secret is shown once; revoking is a POST with CSRF."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from audit.models import AuditEvent
from surveys.api_tokens import api_token_create
from surveys.models import ApiToken, hash_token

from .conftest import NOW

pytestmark = pytest.mark.django_db

URL = "/settings/tokens/"


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def tina(django_user_model):
    """An administrator trusted with tokens: the three permissions, no staff flag."""
    user = django_user_model.objects.create_user("tina", password="password")
    return grant(user, "view_apitoken", "add_apitoken", "change_apitoken")


@pytest.fixture
def viewer(django_user_model):
    user = django_user_model.objects.create_user("vera", password="password")
    return grant(user, "view_apitoken")


def make(client, address: str = "127.0.0.1", **fields):
    data = {"name": "powerbi", "scopes": ["results:read"], "expires_days": "30"} | fields
    return client.post(URL, data, REMOTE_ADDR=address)


def test_the_list_shows_each_token(client, tina, frozen):
    api_token_create(name="jira")
    client.force_login(tina)
    page = client.get(URL)
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") and "no-store" in page["Cache-Control"]
    html = page.content.decode()
    token = ApiToken.objects.get()
    for text in ("jira", token.prefix, "tickets:write", "results:read", "never", "active"):
        assert text in html


def test_a_made_token_is_shown_once_and_only_its_hash_is_kept(client, tina, team, frozen):
    client.force_login(tina)
    response = make(client, address="192.0.2.5")
    assert response.status_code == 200
    raw = re.search(
        r'id="new-token" type="text" readonly value="([^"]+)"', response.content.decode()
    )[1]
    token = ApiToken.objects.get()
    assert (token.name, token.scopes, token.owner) == ("powerbi", ["results:read"], tina)
    assert token.token_hash == hash_token(raw)
    assert token.expires_at == NOW + timedelta(days=30)
    assert raw not in client.get(URL).content.decode()  # never again
    # It works, within its scope only.
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/teams/workplace/nps", **headers).status_code == 200
    body = json.dumps({"tickets": []})
    assert (
        client.post("/api/v1/tickets/closed/batch", body, "application/json", **headers).status_code
        == 403
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.ip) == ("token_created", tina, "192.0.2.5")
    assert raw not in json.dumps(event.details)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"scopes": []}, "Choose at least one scope."),
        ({"expires_days": "0"}, "greater than or equal to 1"),
        ({"expires_days": "3651"}, "less than or equal to 3650"),
        ({"scopes": ["tickets:delete"]}, "Select a valid choice."),
        ({"name": "jira"}, "A token with this name exists already."),
    ],
)
def test_bad_input_makes_no_token(client, tina, frozen, fields, message):
    api_token_create(name="jira")
    client.force_login(tina)
    response = make(client, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'id="new-token"' not in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_revoking_takes_a_post_with_csrf_and_stops_the_token(tina, team, frozen):
    token, raw = api_token_create(name="jira")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(tina)
    revoke = f"{URL}{token.pk}/revoke/"
    assert browser.get(revoke).status_code == 405
    assert browser.post(revoke).status_code == 403  # no CSRF token
    token.refresh_from_db()
    assert token.revoked_at is None
    page = browser.get(URL).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = browser.post(revoke, {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 302 and response["Location"] == URL
    token.refresh_from_db()
    assert token.revoked_at == NOW
    assert "revoked" in browser.get(URL).content.decode()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert browser.get("/api/v1/teams/", **headers).status_code == 401
    events = list(AuditEvent.objects.order_by("id").values_list("action", "actor"))
    assert events == [("token_created", None), ("token_revoked", tina.pk)]


def test_a_viewer_sees_the_list_but_cannot_make_or_revoke(client, viewer, frozen):
    token, _raw = api_token_create(name="jira")
    client.force_login(viewer)
    page = client.get(URL).content.decode()
    assert "jira" in page and "Make a token" not in page and "Revoke" not in page
    assert make(client).status_code == 404  # out of reach, as everywhere
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_staff_flag_alone_opens_nothing(client, django_user_model):
    stan = django_user_model.objects.create_user("stan", is_staff=True)  # no role, no permission
    client.force_login(stan)
    assert client.get(URL).status_code == 403  # the page saying whom to ask
    assert make(client).status_code == 403
    assert not ApiToken.objects.exists()


def test_the_administrator_role_carries_the_token_permissions(client, carol, alice, frozen):
    client.force_login(carol)
    assert make(client).status_code == 200 and ApiToken.objects.count() == 1
    client.force_login(alice)  # the IT manager: a role, but not this one
    assert client.get(URL).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    token, _raw = api_token_create(name="jira")
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_speaks_dutch(client, tina):
    client.force_login(tina)
    page = client.get(URL, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Een token aanmaken" in page and "Bevoegdheden" in page


def test_not_even_a_superuser_deletes_a_token_in_the_admin(client, django_user_model):
    """Revoking is audited; a deletion in the admin would not be, so the admin offers none."""
    token, _raw = api_token_create(name="jira")
    root = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(root)
    url = f"/admin/surveys/apitoken/{token.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_token_made_in_the_page_works_until_revoked_in_the_page(client, carol, team, frozen):
    client.force_login(carol)
    response = make(client, name="reports", scopes=["results:read"])
    raw = re.search(
        r'id="new-token" type="text" readonly value="([^"]+)"', response.content.decode()
    )[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/teams/workplace/nps", **headers).status_code == 200
    token = ApiToken.objects.get(name="reports")
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 302
    refused = client.get("/api/v1/teams/workplace/nps", **headers)
    assert refused.status_code == 401
    assert "This token has been revoked." in refused.content.decode()


def test_wrong_token_form_in_dutch(client, carol, frozen):
    client.force_login(carol)
    response = client.post(URL, {"name": "x", "expires_days": "0"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "Kies ten minste één bevoegdheid." in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("actor", ["alice", "bob", "dave", "audrey"])
def test_other_roles_reach_no_token(client, request, actor, frozen):
    token, _raw = api_token_create(name="jira")
    client.force_login(request.getfixturevalue(actor))
    assert client.get(URL).status_code == 404
    assert make(client).status_code == 404
    assert client.post(f"{URL}{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert ApiToken.objects.count() == 1 and token.revoked_at is None


def test_the_old_staff_addresses_redirect_for_good(client, carol, frozen):
    token, _raw = api_token_create(name="jira")
    client.force_login(carol)
    response = client.get("/staff/api-tokens/")
    assert (response.status_code, response["Location"]) == (301, URL)
    response = client.post(f"/staff/api-tokens/{token.pk}/revoke/")
    assert (response.status_code, response["Location"]) == (308, f"{URL}{token.pk}/revoke/")
    client.post(f"/staff/api-tokens/{token.pk}/revoke/", follow=True)
    token.refresh_from_db()
    assert token.revoked_at == NOW
