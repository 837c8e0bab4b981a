"""Headers on every page (issue 14): a Content-Security-Policy that allows nothing inline, no
inline script or style in any page that would need it, and `Cache-Control: private, no-store` on
everything meant for one person. Pages are listed from the URL patterns (tests/site.py), so a
page added later is covered without a new test."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils.cache import get_max_age

from .site import admin_urls, page_urls, site_with_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(django_user_model, team):
    return site_with_everything(django_user_model, team)


@pytest.fixture
def signed_in(site):
    client = Client(raise_request_exception=False)
    client.force_login(site.user)
    return client


class _Inline(HTMLParser):
    """What a strict policy blocks: inline scripts, style elements and attributes, handlers."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.found.append(f"<script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs.items():
            if name == "style" or name.startswith("on"):
                self.found.append(f'<{tag} {name}="{value}">')
            if name in ("href", "src", "action") and (value or "").startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')


def inline_code(html: str) -> list[str]:
    parser = _Inline()
    parser.feed(html)
    return parser.found


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def check_policy(response, url: str) -> list[str]:
    directives = policy(response)
    if not directives:
        return [f"{url}: no Content-Security-Policy"]
    problems = []
    sources = {source for values in directives.values() for source in values}
    for loose in sources & {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"}:
        problems.append(f"{url}: {loose} in {response['Content-Security-Policy']}")
    scripts = directives.get("script-src", directives.get("default-src"))
    if scripts not in (["'self'"], ["'none'"]):
        problems.append(f"{url}: scripts from {scripts}")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append(f"{url}: may be framed ({directives.get('frame-ancestors')})")
    return problems


def test_every_page_has_a_strict_policy_and_nothing_inline(signed_in, site):
    problems, pages = [], 0
    for url in page_urls(site) + admin_urls():
        response = signed_in.get(url)
        assert response.status_code < 500, url
        problems += check_policy(response, url)
        if response["Content-Type"].startswith("text/html"):
            problems += [f"{url}: {found}" for found in inline_code(response.content.decode())]
            pages += response.status_code == 200
    assert not problems, "\n".join(problems)
    # The pages themselves were seen, not only redirects and errors.
    assert pages >= 60, pages


def test_the_survey_pages_keep_their_stricter_policy(client, site):
    response = client.get(f"/s/{site.kwargs['survey']['token']}/")
    assert response.status_code == 200
    assert policy(response)["default-src"] == ["'none'"]
    assert "script-src" not in policy(response)


def test_the_sent_mail_page_allows_only_its_mails_own_styles(signed_in, site):
    from surveys.mailpreview import style_hashes
    from surveys.models import CapturedEmail

    mail = CapturedEmail.objects.get()
    response = signed_in.get(f"/staff/mail/{mail.pk}/")
    styles = policy(response)["style-src"]
    assert styles[:2] == ["'self'", "'unsafe-hashes'"]
    assert styles[2:] == style_hashes(mail.html) and len(styles) > 5
    assert policy(response)["script-src"] == ["'self'"]


@pytest.fixture
def errors_client(settings):
    settings.ROOT_URLCONF = "tests.urls_probe"
    return Client(raise_request_exception=False)


def test_sign_in_and_error_pages_have_the_policy(errors_client, site):
    csrf_checked = Client(enforce_csrf_checks=True)
    responses = {
        "sign-in": errors_client.get("/accounts/login/"),
        "400": errors_client.get("/accounts/login/?next=%00"),
        "403 (CSRF)": csrf_checked.post("/accounts/login/", {"username": "a", "password": "b"}),
        "404": errors_client.get("/no/such/page/"),
        "405": errors_client.get(f"/s/{site.kwargs['survey']['token']}/resubscribe/"),
        "500": errors_client.get("/fail/"),
        "unknown survey link": errors_client.get("/s/not-a-token/"),
    }
    assert [r.status_code for r in responses.values()] == [200, 400, 403, 404, 405, 500, 404]
    problems = [p for name, response in responses.items() for p in check_policy(response, name)]
    assert not problems, "\n".join(problems)


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_every_response_to_a_signed_in_user_is_private_and_not_stored(signed_in, site):
    missing = []
    for url in page_urls(site) + admin_urls():
        response = signed_in.get(url)
        if not {"private", "no-store"} <= cache_control(response):
            missing.append(f"{url}: {response.status_code} {response.get('Cache-Control')!r}")
    assert not missing, "\n".join(missing)


def test_exports_and_api_answers_are_private_and_not_stored(signed_in, site, api_headers):
    export = signed_in.get(f"/dashboard/teams/{site.team.slug}/export.csv")
    assert export["Content-Type"].startswith("text/csv")
    assert cache_control(export) == {"private", "no-store"}
    api = Client().get("/api/v1/teams/", **api_headers)
    assert api.status_code == 200
    assert {"private", "no-store"} <= cache_control(api)


def test_static_files_and_public_pages_stay_cacheable(signed_in, client):
    static = signed_in.get("/static/css/itpulse.css")
    assert static.status_code == 200
    assert "no-store" not in cache_control(static) and get_max_age(static)
    assert "no-store" not in cache_control(client.get("/survey-brand.css"))
