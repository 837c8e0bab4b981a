"""Error pages in the site's layout and the reader's language (issue 17, point 4): 403 saying
whom to ask, 404 for an unknown address, 500 without the request's context or the database; and
a signed-in person the admin is not for gets a page, not the admin's sign-in form."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from itpulse.views import server_error

from .access import is_no_role_page, is_refused_page

pytestmark = pytest.mark.django_db

NAVBAR = 'class="navbar'


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Page not found"), ("nl", "Pagina niet gevonden")]
)
def test_an_unknown_address_answers_a_translated_page(client, alice, language, title):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(alice)
        response = client.get("/no/such/page/", headers={"accept-language": language})
        html = response.content.decode()
        assert response.status_code == 404
        assert f'<h1 class="h3">{title}</h1>' in html and NAVBAR in html
        assert f'<html lang="{language}">' in html


def test_the_api_keeps_its_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


def test_a_role_the_admin_is_not_for_gets_a_page_saying_whom_to_ask(client, alice, carol):
    carol.email = "carol@example.org"
    carol.save()
    client.force_login(alice)  # an IT manager: no staff flag
    for url in ("/admin/", "/admin/auth/user/", "/admin/login/?next=/admin/"):
        response = client.get(url)
        assert is_refused_page(response), url
        assert "carol@example.org" in response.content.decode()
    dutch = client.get("/admin/", headers={"accept-language": "nl"}).content.decode()
    assert "U kunt deze pagina niet openen" in dutch


def test_a_person_without_a_role_gets_the_no_role_page_not_the_admin_sign_in(client, charlie):
    client.force_login(charlie)
    for url in ("/admin/", "/admin/login/?next=/admin/"):
        response = client.get(url)
        assert is_no_role_page(response), url


def test_a_visitor_is_still_sent_to_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_the_500_page_needs_no_request_context_and_no_database(django_assert_num_queries):
    request = RequestFactory().get("/dashboard/")  # no user, no session: none is read
    with translation.override("nl"), django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis" in html and NAVBAR in html and "bootstrap" in html


def test_a_crash_answers_the_styled_500_page(alice, monkeypatch, settings):
    settings.DEBUG = False

    def broken(user):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("accounts.access.has_role", broken)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get("/", headers={"accept-language": "en"})
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html and NAVBAR in html
    assert "the database went away" not in html
