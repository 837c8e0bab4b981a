"""gunicorn's settings for ITPulse: `gunicorn -c python:itpulse.gunicorn itpulse.wsgi`.

The Dockerfile, docker-compose.yml and bench/ingest.py all start the web app with these, so the
benchmark measures what is deployed. Command-line options still win (`--bind`, `--workers`).
Docs: https://docs.gunicorn.org/en/stable/settings.html
"""

import gc
import os

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


def post_worker_init(worker):
    """Move what loading the app created out of the garbage collector's sight.

    Django and its apps leave some 100,000 long-lived objects; each full collection walked all
    of them, a pause that landed on whichever requests were running (the ingest benchmark's p99).
    Frozen objects are never collected, which is what they are anyway.
    """
    gc.freeze()
