"""No request answers 500 for bad input (issue 14): malformed paths, numbers in other scripts,
NUL characters, deep or huge JSON and wrong content types each get a 4xx that says why.

Every page is asked as a user who may see it, with each parameter it reads spelled wrongly;
schemathesis (test_openapi.py) covers the API's documented parameters on top of this.
"""

import json
import socket
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from campaigns.models import Campaign, CampaignInvitation
from surveys.models import Invitation
from tests.factories import AgentFactory, InvitationFactory, ResponseFactory
from tests.hooks import connector_for, post_hook

pytestmark = pytest.mark.django_db

# ²: a digit to str.isdigit() that int() refuses. ٣: an Arabic-Indic 3. Then a NUL, a number
# too large for any column, and bytes that are not UTF-8.
BAD_VALUES = ["²", "٣", "\x00", "99999999999999999999", "\udcff"]
PAGES = {
    "/dashboard/": ["period", "since", "until", "interval"],
    "/dashboard/teams/workplace/": ["page", "score", "category", "since", "until", "q", "identity"],
    "/dashboard/teams/workplace/export.csv": ["score", "since", "until", "period", "q"],
    "/staff/tickets/": ["page"],
    "/staff/mail/": ["page"],
    "/staff/scanners/": ["days"],
    "/staff/delivery/": ["page", "days"],
    "/settings/connectors/": ["page"],
    "/followups/": ["page", "show"],
    "/followups/teams/workplace/": ["page", "show"],
    "/followups/teams/workplace/reasons/": ["page", "since", "until"],
    "/followups/customers/": ["page", "since", "until"],
    "/followups/campaigns/": ["page"],
    "/me/feedback/": ["page"],
    "/me/feedback/export.csv": ["page"],
    "/me/tickets/": ["page"],
    "/agents/{agent}/feedback/": ["page"],
    "/admin/surveys/ticket/": ["p", "o", "all", "id__exact", "closed_at__gte"],
    "/s/{survey}/": ["score", "lang"],
    "/c/{campaign}/": ["score", "lang"],
    "/api/v1/teams/workplace/nps": ["since", "until"],
    "/api/v1/teams/workplace/trend": ["since", "until", "interval"],
}


def encode(value: str) -> str:
    # A lone surrogate stands for a byte that is not UTF-8: sent as the raw %FF.
    return "%FF" if value == "\udcff" else quote(value)


@pytest.fixture
def everyone(django_user_model, team, api_token):
    """A superuser who is also an agent (every staff page opens), a survey link, a periodic
    survey link and an API token: every page of PAGES answers this client."""
    user = django_user_model.objects.create_superuser("root", password=None)
    user.user_permissions.add(Permission.objects.get(codename="view_all_teams"))
    agent = AgentFactory(team=team, user=user, email="root@example.org")
    ResponseFactory(invitation__ticket__team=team, invitation__ticket__agent=agent, score=3)
    now = timezone.now()
    survey = InvitationFactory(ticket__team=team, status=Invitation.Status.SENT, sent_at=now)
    survey_token = survey.new_token(now)
    survey.save()
    campaign = Campaign.objects.create(name="Autumn", open_questions_en="What else?")
    invitation = CampaignInvitation(
        campaign=campaign, requester=survey.requester, status="sent", sent_at=now
    )
    campaign_token = invitation.new_token(now)
    invitation.save()
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {api_token}")
    client.force_login(user)
    client.names = {"agent": agent.pk, "survey": survey_token, "campaign": campaign_token}
    return client


def test_every_page_answers_its_own_parameters_spelled_wrongly_without_a_500(everyone):
    failures = []
    for page, params in PAGES.items():
        url = page.format(**everyone.names)
        assert everyone.get(url).status_code == 200, url  # the page itself opens
        for param in params:
            for value in BAD_VALUES:
                response = everyone.get(f"{url}?{param}={encode(value)}")
                if response.status_code >= 500:
                    failures.append(f"{url}?{param}={value!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("param", ["page", "score", "days", "q", "lang"])
def test_a_nul_in_the_query_string_is_a_400_that_says_so(everyone, param):
    for url in (
        "/staff/tickets/",
        "/dashboard/teams/workplace/",
        f"/s/{everyone.names['survey']}/",
    ):
        response = everyone.get(f"{url}?{param}=1%00")
        assert response.status_code == 400, url
        assert "NUL character" in response.content.decode()


def test_an_api_address_with_a_nul_answers_in_json(everyone):
    response = everyone.get("/api/v1/teams/workplace/nps?since=%00")
    assert response.status_code == 400
    assert "NUL character" in response.json()["errors"]["request"][0]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/hooks/%00",
        "/api/v1/hooks/a%00b",
        "/s/%00/",
        "/s/%00/thanks/",
        "/s/%00/unsubscribe/",
        "/c/%00/",
        "/settings/connectors/%00/",
        "/admin/surveys/ticket/%00/change/",
        "/%00",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_nul_in_the_path_is_a_400(everyone, path, method):
    response = getattr(everyone, method)(path)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/hooks/%FF",
        "/api/v1/hooks/%C0%80",  # an overlong NUL: not UTF-8 at all
        "/s/%FF%FE/",
        "/c/%ED%A0%80/",  # a UTF-16 surrogate spelled in UTF-8
        "/dashboard/teams/%FF/",
        "/staff/mail/99999999999999999999999/",
        "/followups/99999999999999999999999/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_paths_that_are_not_utf_8_or_too_large_are_4xx(everyone, path, method):
    assert 400 <= getattr(everyone, method)(path).status_code < 500


def test_malformed_paths_over_a_real_socket(live_server):
    """The same through a real HTTP server, where the raw bytes of the request line arrive."""
    host, port = live_server.thread.host, live_server.thread.port
    for target in (b"/api/v1/hooks/%00", b"/api/v1/hooks/\xff\xfe", b"/s/%00/", b"/%C0%80"):
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(b"POST " + target + b" HTTP/1.0\r\nHost: localhost\r\n\r\n")
            status_line = sock.makefile("rb").readline()
        status = int(status_line.split()[1])
        assert 400 <= status < 500, (target, status_line)


DEEP_ARRAYS = "[" * 10_000 + "]" * 10_000
DEEP_OBJECTS = '{"a":' * 10_000 + "1" + "}" * 10_000


@pytest.mark.parametrize("body", [DEEP_ARRAYS, DEEP_OBJECTS], ids=["arrays", "objects"])
@pytest.mark.parametrize("url", ["/api/v1/tickets/closed", "/api/v1/tickets/closed/batch"])
def test_deeply_nested_json_is_a_400_that_says_so(everyone, url, body):
    response = everyone.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"body": ["The body's JSON is nested too deeply."]}}


@pytest.mark.parametrize("body", [DEEP_ARRAYS, DEEP_OBJECTS], ids=["arrays", "objects"])
def test_deeply_nested_json_to_a_signed_webhook_is_a_400(client, team, frozen, body):
    connector = connector_for("generic", team)
    response = post_hook(client, connector, None, raw=body.encode())
    assert response.status_code == 400
    assert response.json()["errors"]["body"] == ["The body's JSON is nested too deeply."]


HUGE = "x" * (4 * 1024 * 1024)


@pytest.mark.parametrize(
    "url", ["/api/v1/tickets/closed", "/api/v1/tickets/closed/batch", "/api/v1/hooks/generic"]
)
def test_a_huge_json_body_is_a_413_before_it_is_read(everyone, team, url):
    connector_for("generic", team)
    response = everyone.post(url, HUGE, content_type="application/json")
    assert response.status_code == 413
    assert "larger than" in response.json()["errors"]["body"][0]


def test_a_huge_form_is_a_400_that_says_so(everyone):
    response = everyone.post(
        "/staff/tickets/close/", "a=" + HUGE, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "The request is too large." in response.content.decode()


def test_the_csv_import_confirmation_fits_within_the_upload_limit(everyone, team):
    """The largest form ITPulse sends itself: a 2 MiB file's text, posted back to confirm. As a
    multipart form it is its own size; percent-encoded it would be up to three times that."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    head = "ticket;requester email;closed at\n"
    text = head + "SD-1;ann@example.org;2026-11-20 10:00\n" * (2 * 1024 * 1024 // 40)
    upload = SimpleUploadedFile("tickets.csv", text.encode(), content_type="text/csv")
    page = everyone.post(
        "/staff/import/", {"file": upload, "source": "csv", "default_team": team.pk}
    )
    assert page.status_code == 200
    confirm = page.content.decode().split('<input type="hidden" name="text"')[0]
    assert confirm.rsplit("<form", 1)[1].startswith(' method="post" enctype="multipart/form-data"')
    response = everyone.post(
        "/staff/import/", {"text": text, "source": "csv", "default_team": team.pk}
    )
    assert response.status_code == 302


WRONG_CONTENT = [
    ("a=b&c=d", "application/x-www-form-urlencoded"),
    ("just text", "text/plain"),
    ("--x\r\nbroken", "multipart/form-data; boundary=x"),
    ('{"a": 1}', "multipart/form-data"),
    ("<ticket/>", "application/xml"),
    (b"\xff\xfe\x00", "application/json"),
    (json.dumps({"external_id": "A\x00B"}), "application/json"),
]


@pytest.mark.parametrize(("body", "content_type"), WRONG_CONTENT)
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/tickets/closed",
        "/api/v1/tickets/closed/batch",
        "/staff/tickets/close/",
        "/staff/import/",
        "/me/preferences/",
        "/accounts/login/",
    ],
)
def test_wrong_content_types_are_4xx_or_an_ordinary_form_error(everyone, url, body, content_type):
    response = everyone.post(url, body, content_type=content_type)
    assert response.status_code < 500, response.content[:300]
    if url.startswith("/api/"):
        assert response.status_code == 400 and response.json()["errors"]


def test_the_400_speaks_the_readers_language(everyone):
    response = everyone.get("/staff/tickets/?page=%00", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 400
    assert "bevatten een NUL-teken" in response.content.decode()
