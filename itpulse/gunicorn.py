"""gunicorn's settings for ITPulse: `gunicorn -c python:itpulse.gunicorn itpulse.wsgi`.

The Dockerfile, docker-compose.yml and bench/ingest.py all start the web app with these, so the
benchmark measures what is deployed. Command-line options still win (`--bind`, `--workers`).
Docs: https://docs.gunicorn.org/en/stable/settings.html
"""

import gc
import ipaddress
import os
from typing import Any

from gunicorn.glogging import Logger

from surveys import logsafe

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threads, not one process per request: a request spends most of its time waiting for
# PostgreSQL, and a thread does that without holding a process. Two processes per CPU keep both
# cores busy while Python holds one lock per process (measured with bench/ingest.py on 2 cores:
# 4 × 4 did as well as 2 × 4 and 2 × 8, and better than 8 × 1 or sync workers).
worker_class = "gthread"
# Each thread keeps a database connection open (CONN_MAX_AGE): by default at most 4 × 4 = 16,
# whatever the host has (a container sees all its CPUs), well within PostgreSQL's default 100
# connections beside the Celery processes. Raise WEB_CONCURRENCY with max_connections in mind.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * (os.process_cpu_count() or 1), 4))
threads = int(os.environ.get("GUNICORN_THREADS") or 4)
# Helpdesks and proxies reuse connections. Behind a load balancer, set this above its idle
# timeout (60 s on an AWS ALB), or it may reuse a connection gunicorn is closing: a 502.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE") or 5)
backlog = 2048
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# Whose X-Forwarded-Proto gunicorn believes (it then reports https to Django): the proxies Django
# trusts, ITPULSE_TRUSTED_PROXIES (itpulse/proxies.py), not gunicorn's default of 127.0.0.1.
forwarded_allow_ips = ",".join(
    str(ipaddress.ip_network(item.strip(), strict=False))
    for item in os.environ.get("ITPULSE_TRUSTED_PROXIES", "").split(",")
    if item.strip()
)

# Where a request comes from, in gunicorn's atoms: the peer, and what a proxy in front adds;
# and what it comes from, the user agent, which the IT department's device inventory turns
# into a short list of people just as well.
CLIENT_ADDRESS = {
    "a",
    "{user-agent}i",
    "{http_user_agent}e",
    "h",
    "{x-forwarded-for}i",
    "{x-real-ip}i",
    "{forwarded}i",
    "{remote_addr}e",
    "{http_x_forwarded_for}e",
    "{http_x_real_ip}e",
    "{http_forwarded}e",
}


class AccessLogger(Logger):
    """gunicorn's logger with nothing personal in the access log (logsafe.redact: survey link
    tokens, search terms, addresses), whatever access_log_format an operator picks.

    A survey link's line also loses the client's address and user agent. In an IT department an
    address is a workstation (and a user agent a device model and version in its inventory), so
    either and the time next to `POST /s/…/` would say who answered, even in an anonymous team;
    staff and API lines keep theirs, which is what an access log is read for.
    """

    def setup(self, cfg):
        super().setup(cfg)
        # "Error handling request /s/<token>/": add once, a reload runs setup() again.
        if not any(isinstance(f, logsafe.Redact) for f in self.error_log.filters):
            self.error_log.addFilter(logsafe.Redact())

    def atoms(self, resp, req, environ, request_time):
        # A plain dict: typeshed's TypedDict of gunicorn's atoms takes no computed keys.
        atoms = dict[str, Any](super().atoms(resp, req, environ, request_time))
        uri = environ.get("RAW_URI") or environ.get("PATH_INFO") or ""
        survey = logsafe.mask_tokens(uri) != uri
        for key, value in atoms.items():
            if survey and key in CLIENT_ADDRESS:
                atoms[key] = "-"
            elif isinstance(value, str):
                atoms[key] = logsafe.redact(value)
        return atoms


logger_class = AccessLogger


def post_worker_init(worker):
    """Move what loading the app created out of the garbage collector's sight.

    Django and its apps leave some 100,000 long-lived objects; each full collection walked all
    of them, a pause that landed on whichever requests were running (the ingest benchmark's p99).
    Frozen objects are never collected, which is what they are anyway.
    """
    gc.freeze()
