"""Nothing personal in the logs: a whole survey round trip, every log line captured and searched.

Django's and ITPulse's loggers through caplog (DEBUG, everything), runserver's access log as
Django writes it, and gunicorn's access log through itpulse/gunicorn.py's logger class for
every request of the round trip.
"""

import io
import json
import logging
import re
import smtplib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from anymail.signals import AnymailTrackingEvent, tracking
from django.core import mail
from django.core.servers.basehttp import WSGIRequestHandler
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from gunicorn.config import Config

from itpulse.gunicorn import AccessLogger
from surveys import logsafe
from surveys.models import Invitation

pytestmark = pytest.mark.django_db

EMAIL = "Ann.Jansen@example.org"
NAME = "Ann Jansen"
COMMENT = "The new laptop still cannot reach the payroll share"
LEAD_EMAIL = "lee.lead@example.org"
CLIENT_IP = "10.20.30.40"  # the requester's workstation
HELPDESK_IP = "10.9.9.9"
# Every atom gunicorn has for a request: operators choose their own access_log_format.
ACCESS_FORMAT = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(m)s %(U)s %(q)s '
    "%({x-forwarded-for}i)s %({raw_uri}e)s %({path_info}e)s %({location}o)s"
)


@pytest.fixture
def gunicorn_access(tmp_path):
    """gunicorn's logger as itpulse/gunicorn.py configures it, writing to a file."""
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    cfg.set("access_log_format", ACCESS_FORMAT)
    cfg.set("logger_class", "itpulse.gunicorn.AccessLogger")
    logger = cfg.logger_class(cfg)
    yield SimpleNamespace(
        logger=logger,
        text=lambda: (tmp_path / "access.log").read_text(),
        errors=lambda: (tmp_path / "error.log").read_text(),
    )
    for log in (logger.access_log, logger.error_log):
        for handler in list(log.handlers):
            log.removeHandler(handler)
            handler.close()
        log.filters.clear()


def serve(gunicorn, response, request_time=timedelta(milliseconds=12)):
    """Write the access line gunicorn would write for a Django test client's response."""
    environ = dict(response.wsgi_request.environ)
    query = environ.get("QUERY_STRING", "")
    environ["RAW_URI"] = environ["PATH_INFO"] + (f"?{query}" if query else "")
    headers = [
        (key[5:].replace("_", "-"), value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    ]
    resp = SimpleNamespace(
        status=f"{response.status_code} {response.reason_phrase}",
        headers=list(response.items()),
        sent=len(response.content),
    )
    gunicorn.logger.access(resp, SimpleNamespace(headers=headers), environ, request_time)
    return response


def test_a_survey_round_trip_logs_nothing_personal(
    client,
    team,
    api_headers,
    smtp_script,
    frozen,
    caplog,
    gunicorn_access,
    django_user_model,
    django_capture_on_commit_callbacks,
):
    caplog.set_level(logging.DEBUG)
    for name in ("django", "celery", "surveys", "followups"):
        caplog.set_level(logging.DEBUG, logger=name)
    # runserver's log does not propagate: listen to it where Django writes it.
    server_log = logging.getLogger("django.server")
    server_log.addHandler(caplog.handler)
    lead = django_user_model.objects.create_user("lee", email=LEAD_EMAIL)
    team.leads.add(lead)
    smtp_script.script += [
        None,  # the survey e-mail
        # The alert, refused for good: the delivery engine logs the server's reply.
        smtplib.SMTPRecipientsRefused({LEAD_EMAIL: (550, f"<{LEAD_EMAIL}> unknown".encode())}),
        smtplib.SMTPRecipientsRefused(  # the next ticket's survey: refused for good
            {EMAIL: (550, f"5.1.1 <{EMAIL}>: Recipient address rejected".encode())}
        ),
    ]
    browser = {"HTTP_X_FORWARDED_FOR": CLIENT_IP, "REMOTE_ADDR": CLIENT_IP}

    def close(external_id):
        body = {
            "source": "jira",
            "external_id": external_id,
            "team": "workplace",
            "requester": {"email": EMAIL, "name": NAME, "language": "en"},
            "closed_at": "2026-11-25T09:00:00Z",
        }
        return serve(
            gunicorn_access,
            client.post(
                "/api/v1/tickets/closed",
                json.dumps(body),
                content_type="application/json",
                REMOTE_ADDR=HELPDESK_IP,
                **api_headers,
            ),
        )

    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert close("SD-1").status_code == 201
        (message,) = mail.outbox
        token = re.search(r"/s/([\w-]+)/\?score=3", message.body).group(1)
        survey = f"/s/{token}/"
        # Too early for the thanks page: a 404, which Django logs with its path.
        early = serve(gunicorn_access, client.get(f"{survey}thanks/", **browser))
        assert early.status_code == 404
        serve(gunicorn_access, client.get(f"{survey}?score=3", **browser))
        with django_capture_on_commit_callbacks(execute=True):
            answered = serve(
                gunicorn_access,
                client.post(survey, {"score": "3", "comment": COMMENT}, **browser),
            )
        assert answered.status_code == 302
        referer = f"http://testserver{survey}"
        thanks = client.get(answered["Location"], HTTP_REFERER=referer, **browser)
        assert serve(gunicorn_access, thanks).status_code == 200
        serve(gunicorn_access, client.get(f"{survey}unsubscribe/", **browser))
        # Not a periodic survey's token: a 404 on the periodic survey's path.
        assert serve(gunicorn_access, client.get(f"/c/{token}/", **browser)).status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            close("SD-2")
        assert Invitation.objects.get(ticket__external_id="SD-2").status == "failed"
        # Later the provider reports a bounce for the first e-mail.
        bounce = AnymailTrackingEvent(event_type="bounced", recipient=EMAIL, description="gone")
        tracking.send(sender=object, event=bounce, esp_name="Postmark")
        # runserver's access line, written by Django's own request handler.
        handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
        handler.request = None
        handler.requestline = f"GET {survey}?score=3 HTTP/1.1"
        handler.log_request(200, 5120)
    finally:
        server_log.removeHandler(caplog.handler)

    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    access = gunicorn_access.text()
    # The lines that could leak are there, so that the search below means something.
    # (the delivery engine's lines for a refused survey and a refused alert, which quote the
    # server's reply)
    assert re.search(r"survey e-mail for invitation \d+ failed: 550", logged)
    assert re.search(r"case alerts \d+ failed: 550", logged)
    assert "after a bounced event from Postmark" in logged
    assert "Not Found: /s/…/thanks/" in logged and "Not Found: /c/…/" in logged
    assert '"GET /s/…/?score=3 HTTP/1.1" 200 5120' in logged
    assert '"POST /s/…/ HTTP/1.1" 302' in access
    assert "/s/…/thanks/" in access and "/s/…/unsubscribe/" in access
    assert "POST /api/v1/tickets/closed" in access
    everything = logged + access
    for personal in (EMAIL, EMAIL.lower(), NAME, COMMENT, token, LEAD_EMAIL, "Ann", "Jansen"):
        assert personal not in everything, personal
    # The address is followed by its hash instead; a survey line has no client address.
    assert logsafe.address_hash(EMAIL) in logged
    for line in access.splitlines():
        if "/s/" in line or "/c/" in line:
            assert line.startswith("- ") and CLIENT_IP not in line, line
        else:
            assert line.startswith(f"{HELPDESK_IP} "), line


DEVICE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Mobile/15E148"


def test_the_gunicorn_logger_masks_tokens_in_every_form_of_the_path():
    cfg = Config()
    logger = AccessLogger(cfg)
    token = "Zm9vYmFyYmF6-_0123456789abcdefghijklmn"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/s/{token}/thanks/?lang=nl",
        "PATH_INFO": f"/s/{token}/thanks/",
        "QUERY_STRING": "lang=nl",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": CLIENT_IP,
        "HTTP_REFERER": f"https://itpulse.example.org/s/{token}/?score=9",
        "HTTP_USER_AGENT": DEVICE,
    }
    resp = SimpleNamespace(status="200 OK", headers=[], sent=10)
    req = SimpleNamespace(headers=[("X-FORWARDED-FOR", CLIENT_IP), ("USER-AGENT", DEVICE)])
    atoms = logger.atoms(resp, req, environ, timedelta(seconds=0))
    assert atoms["r"] == "GET /s/…/thanks/?lang=nl HTTP/1.1"
    assert atoms["U"] == "/s/…/thanks/"
    assert atoms["f"] == "https://itpulse.example.org/s/…/?score=9"
    assert atoms["{raw_uri}e"] == "/s/…/thanks/?lang=nl"
    assert atoms["h"] == atoms["{x-forwarded-for}i"] == atoms["{remote_addr}e"] == "-"
    # The device is as telling as the address: an IT department knows who has which.
    assert atoms["a"] == atoms["{user-agent}i"] == atoms["{http_user_agent}e"] == "-"
    assert token not in repr(atoms) and DEVICE not in repr(atoms)

    periodic = {**environ, "RAW_URI": f"/c/{token}/?score=3", "PATH_INFO": f"/c/{token}/"}
    campaign = logger.atoms(resp, req, periodic, timedelta(0))
    assert (campaign["r"], campaign["U"]) == ("GET /c/…/?score=3 HTTP/1.1", "/c/…/")
    # Staff pages keep the client's address; an admin search keeps no search terms.
    admin = logger.atoms(
        resp,
        req,
        {
            **environ,
            "RAW_URI": "/admin/surveys/requester/?q=ann%40example.org",
            "PATH_INFO": "/admin/surveys/requester/",
            "QUERY_STRING": "q=ann%40example.org",
            "HTTP_REFERER": "-",
        },
        timedelta(0),
    )
    assert admin["r"] == "GET /admin/surveys/requester/?q=… HTTP/1.1"
    assert admin["q"] == "q=…"
    assert admin["h"] == CLIENT_IP and admin["a"] == DEVICE
    # itpulse/gunicorn.py is what the Dockerfile and compose start gunicorn with.
    from itpulse import gunicorn

    assert gunicorn.logger_class is AccessLogger


def _token_routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _token_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and "<str:token>" in str(pattern.pattern):
            yield pattern.name


def test_every_url_with_a_token_is_masked():
    names = list(_token_routes(get_resolver().url_patterns))
    assert {"survey", "survey-thanks", "campaign-survey", "campaign-thanks"} <= set(names)
    for name in names:
        path = reverse(name, args=["Zm9vYmFy-_09"])
        assert "Zm9vYmFy" not in logsafe.mask_tokens(f"GET {path} HTTP/1.1"), path


def test_smtp_failures_name_addresses_only_by_their_hash():
    refused = smtplib.SMTPRecipientsRefused({EMAIL: (550, f"<{EMAIL}> unknown".encode())})
    text = logsafe.error_text(refused)
    assert EMAIL not in text and EMAIL.lower() not in text
    assert text.count(logsafe.address_hash(EMAIL.lower())) == 2
    with pytest.raises(OSError) as raised, logsafe.scrubbed_mail_errors():
        raise refused
    assert EMAIL not in str(raised.value) and raised.value.__suppress_context__


def test_whatever_else_reaches_the_console_is_redacted():
    """A safety net for other libraries' lines: the console handler of LOGGING redacts too."""
    (console,) = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, logsafe.Redact) for f in handler.filters)
    ]
    stream, console.stream = console.stream, io.StringIO()
    try:
        try:
            raise smtplib.SMTPRecipientsRefused({EMAIL: (550, b"unknown")})
        except smtplib.SMTPException:
            logging.getLogger("some.library").error(
                "GET /s/%s/ for %s", "Zm9vYmFy", EMAIL, exc_info=True
            )
        written = console.stream.getvalue()
    finally:
        console.stream = stream
    assert "GET /s/…/ for <address" in written and "SMTPRecipientsRefused" in written
    assert "Zm9vYmFy" not in written and EMAIL not in written


def test_a_celery_workers_own_log_handlers_redact_too(capfd):
    """A Celery worker takes over the root logger with handlers of its own: without the
    filter, a failing task's message (a database error quoting a key) went out as it was."""
    from itpulse.celery import app

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    app.log.already_setup = False
    try:
        app.log.setup(loglevel="INFO", colorize=False)
        logging.getLogger("celery.app.trace").error(
            "Task followups.tasks.alert_case[1] raised: Key (email)=(%s) exists", EMAIL
        )
        written = capfd.readouterr().err
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        app.log.already_setup = False
    assert "raised: Key (email)=(<address" in written and EMAIL not in written
