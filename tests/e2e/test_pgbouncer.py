"""The app behind PgBouncer in transaction mode (issue 18, point 6; docs/scaling.md).

gunicorn and a Celery worker, both started as deployed, reach the test database only through a
PgBouncer of this test's own (Debian's package; scripts/test.sh installs it), set up as a
transaction pool that runs DISCARD ALL after every transaction: whatever the app left in a
session (a WITH HOLD cursor, a SET, an advisory lock, a prepared statement) is gone before its
next transaction, as it would be on a busy pool where that transaction lands on another server
connection. Through it a ticket is closed by the API, its survey sent, answered in a browser's
way, and read on the dashboard and in the export.
"""

import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import requests
from django.db import connection
from django.test import Client

from surveys.api_tokens import api_token_create
from surveys.models import Invitation
from tests.e2e.conftest import free_port, stop_processes
from tests.factories import ResponseFactory
from tests.gunicorn_server import gunicorn_servers

PGBOUNCER = "/usr/sbin/pgbouncer"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.access(PGBOUNCER, os.X_OK),
        reason=f"{PGBOUNCER} is not installed (Debian's pgbouncer package; scripts/test.sh "
        "installs it when it runs as root)",
    ),
]


@contextlib.contextmanager
def pgbouncer_for(db: dict):
    """A PgBouncer in transaction mode in front of the database `db` (Django's settings_dict);
    yields its port."""
    folder = Path(tempfile.mkdtemp(prefix="itpulse-pgbouncer-"))
    port = free_port()
    user, password = db["USER"] or "postgres", db.get("PASSWORD") or ""
    (folder / "userlist.txt").write_text(f'"{user}" "{password}"\n')
    lines = [
        "[databases]",
        f"* = host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432}",
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        f"listen_port = {port}",
        "unix_socket_dir =",
        "auth_type = trust",
        f"auth_file = {folder / 'userlist.txt'}",
        "pool_mode = transaction",
        # Reset every server connection after every transaction: nothing of one transaction's
        # session survives into the next, whichever server connection that gets.
        "server_reset_query = DISCARD ALL",
        "server_reset_query_always = 1",
        "default_pool_size = 4",
        f"admin_users = {user}",
        "ignore_startup_parameters = extra_float_digits",
    ]
    if os.getuid() == 0:
        lines.append("user = postgres")  # PgBouncer refuses to run as root
        shutil.chown(folder, "postgres")
        folder.chmod(0o755)
    (folder / "pgbouncer.ini").write_text("\n".join(lines) + "\n")
    proc = subprocess.Popen(
        [PGBOUNCER, str(folder / "pgbouncer.ini")],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proc.poll() is None, proc.stderr.read()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "PgBouncer did not listen in 20 s"
                time.sleep(0.05)
        yield port
    finally:
        stop_processes([proc])
        shutil.rmtree(folder, ignore_errors=True)


def transactions_pooled(port: int, user: str, database: str) -> int:
    """Transactions PgBouncer ran for `database` (its admin console speaks only the simple
    protocol: a client-side cursor)."""
    with psycopg.connect(
        f"host=127.0.0.1 port={port} user={user} dbname=pgbouncer",
        autocommit=True,
        cursor_factory=psycopg.ClientCursor,
    ) as admin:
        cursor = admin.execute("SHOW STATS")
        names = [column.name for column in cursor.description]
        for row in cursor.fetchall():
            stats = dict(zip(names, row, strict=True))
            if stats["database"] == database:
                return int(stats["total_xact_count"])
    return 0


def test_the_app_runs_behind_pgbouncer_in_transaction_mode(
    real_broker, smtp_server, start_worker, team, bob
):
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    for i in range(4):  # four earlier promoters: NPS is shown from the fifth answer
        ResponseFactory(
            invitation__ticket__team=team, invitation__ticket__external_id=f"OLD-{i}", score=10
        )
    _token, raw = api_token_create(name="jira")
    client = Client()
    client.force_login(bob)
    cookie = client.cookies["sessionid"].value

    with pgbouncer_for(db) as bouncer, gunicorn_servers() as start_web:
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        pooled = {
            "DATABASE_URL": f"postgres://{user}{password}@127.0.0.1:{bouncer}/{db['NAME']}",
            "DATABASE_TRANSACTION_POOLING": "true",
            # Kept open to PgBouncer, as deployed: it lends a server connection per transaction.
            "CONN_MAX_AGE": "600",
        }
        web = start_web(**pooled, ALLOWED_HOSTS="127.0.0.1")
        base = f"http://127.0.0.1:{web}"
        start_worker(smtp_port=smtp_server.port, base_url=base, **pooled)
        before = transactions_pooled(bouncer, user, db["NAME"])

        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {raw}"
        ticket = {
            "source": "jira",
            "external_id": "SD-1",
            "subject": "Printer on floor 3",
            "team": team.slug,
            "agent": {"email": "sanne@example.org", "name": "Sanne"},
            "requester": {"email": "ann@example.org", "name": "Ann", "language": "en"},
            # Now: gunicorn and the worker run with the deployed age limit, not the tests' clock.
            "closed_at": datetime.now(UTC).isoformat(),
        }
        created = api.post(f"{base}/api/v1/tickets/closed", json=ticket, timeout=10)
        assert created.status_code == 201, created.text
        again = api.post(f"{base}/api/v1/tickets/closed", json=ticket, timeout=10)
        assert again.status_code == 200, again.text

        [message] = smtp_server.wait_for(1)
        text = message.get_body(("plain",)).get_content()
        link = re.search(rf"{re.escape(base)}/s/[\w-]+/\?score=3", text).group(0)
        person = requests.Session()
        page = person.get(link, timeout=10)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = person.post(
            link.split("?")[0],
            data={"csrfmiddlewaretoken": csrf, "score": "3", "comment": "Took a week."},
            timeout=10,
        )
        assert answer.status_code == 200 and "Thank you for your answer" in answer.text

        nps = api.get(f"{base}/api/v1/teams/{team.slug}/nps", timeout=10).json()
        assert (nps["responses"], nps["nps"]) == (5, 60)
        lead = requests.Session()
        lead.cookies.set("sessionid", cookie)
        dashboard = lead.get(f"{base}/dashboard/teams/{team.slug}/", timeout=10)
        assert dashboard.status_code == 200 and "Took a week." in dashboard.text
        # The export reads its rows with QuerySet.iterator(): a server-side cursor, declared
        # WITH HOLD, would be gone after DISCARD ALL ("cursor … does not exist", a 500).
        export = lead.get(f"{base}/dashboard/teams/{team.slug}/export.csv", timeout=10)
        assert export.status_code == 200, export.text[:2000]
        assert "Took a week." in export.text

        # All of it went through the pool (a wrong URL would have failed, not bypassed it).
        assert transactions_pooled(bouncer, user, db["NAME"]) > before
    assert Invitation.objects.get(ticket__external_id="SD-1").status == "answered"
