"""Outgoing webhooks under load (issue 16.4), the last part of bench/ingest.py.

Answers are given in this process (response_submit, as the survey page's POST does, from a few
threads at once), each plans a delivery to one subscribed webhook, and real Celery workers
(started here on the bench's queue) deliver them through the delivery engine to a local
receiver, a threaded HTTP server that verifies every signature with the Standard Webhooks
specification's own library. Figures: answers per second delivered (from the first answer to
the last delivery), the lag from an answer's commit to its delivery's arrival (p50, p99), and
how many signatures failed (must be 0).
"""

import json
import os
import statistics
import subprocess
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.workers import celery_workers


class Receiver:
    def __init__(self) -> None:
        self.secret = ""
        self.arrived: dict[int, float] = {}  # response id → wall time of arrival
        self.bad = 0
        self.lock = threading.Lock()

    def start(self) -> ThreadingHTTPServer:
        from standardwebhooks import Webhook
        from standardwebhooks.webhooks import WebhookVerificationError

        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                at = time.time()
                try:
                    data = Webhook(receiver.secret).verify(body, dict(self.headers.items()))
                    status = 204
                except WebhookVerificationError:
                    data, status = None, 401
                with receiver.lock:
                    if data is None:
                        receiver.bad += 1
                    else:
                        receiver.arrived.setdefault(data["data"]["id"], at)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


def _workers(queue: str, count: int) -> list[subprocess.Popen]:
    return celery_workers(queue, count, name="benchhook", ITPULSE_DISPATCH_INTERVAL="5")


def _invitations(team_slug: str, count: int) -> list:
    from django.utils import timezone

    from surveys.models import Invitation, Requester, Team, Ticket

    team = Team.objects.get(slug=team_slug)
    team.anonymous = False
    team.save(update_fields=["anonymous"])
    now = timezone.now()
    stamp = int(time.time())
    requesters = Requester.objects.bulk_create(
        Requester(email=f"answer{stamp}-{n}@example.org") for n in range(count)
    )
    tickets = Ticket.objects.bulk_create(
        Ticket(
            source="bench-answers",
            external_id=f"A{stamp}-{n}",
            team=team,
            requester=requester,
            closed_at=now,
        )
        for n, requester in enumerate(requesters)
    )
    return Invitation.objects.bulk_create(
        Invitation(
            ticket=ticket,
            requester=ticket.requester,
            team=team,
            status=Invitation.Status.SENT,
            send_after=now,
            sent_at=now,
            expires_at=now + timedelta(days=14),
        )
        for ticket in tickets
    )


def run(
    *, queue: str, team: str, answers: int, threads: int, workers: int, backlog: bool = False
) -> dict:
    """Give `answers` answers from `threads` threads; wait for every delivery; the figures.
    With `backlog`, the workers start only once every answer is in: how fast a backlog drains
    (from the first delivery to the last), the engine's pace rather than the answers'."""
    import signal

    from django.db import connection

    from surveys.services import response_submit
    from webhooks.models import Event, Webhook
    from webhooks.services import webhook_create

    receiver = Receiver()
    server = receiver.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/itpulse"
    Webhook.objects.all().delete()
    hook = webhook_create(url=url, events=[Event.RESPONSE_CREATED])
    receiver.secret = hook.secret
    invitations = _invitations(team, answers)
    connection.close()
    pool = [] if backlog else _workers(queue, workers)
    time.sleep(0 if backlog else 3)  # the workers connect to the broker
    given: dict[int, float] = {}
    given_lock = threading.Lock()

    def answer(part: list) -> None:
        for n, invitation in enumerate(part):
            response = response_submit(invitation=invitation, score=9 if n % 2 else 8)
            at = time.time()
            with given_lock:
                given[response.id] = at
        connection.close()

    parts = [invitations[n::threads] for n in range(threads)]
    started = time.time()
    runners = [threading.Thread(target=answer, args=(part,)) for part in parts]
    for runner in runners:
        runner.start()
    for runner in runners:
        runner.join()
    answered = time.time()
    if backlog:
        pool = _workers(queue, workers)
    deadline = time.monotonic() + 180
    while len(receiver.arrived) < answers and time.monotonic() < deadline:
        time.sleep(0.05)
    for worker in pool:
        os.killpg(worker.pid, signal.SIGTERM)
    for worker in pool:
        worker.wait(timeout=30)
    server.shutdown()
    with receiver.lock:
        arrived = dict(receiver.arrived)
    lags = [(arrived[rid] - given[rid]) * 1000 for rid in given if rid in arrived]
    cuts = statistics.quantiles(lags, n=100, method="inclusive") if len(lags) > 1 else [0.0] * 99
    last = max(arrived.values()) if arrived else started
    if backlog:
        first = min(arrived.values()) if arrived else last
        return {
            "backlog": answers,
            "delivered": len(arrived),
            "drained_per_s": round(len(arrived) / max(last - first, 1e-3), 1),
            "bad_signatures": receiver.bad,
            "workers": workers,
        }
    return {
        "answers": answers,
        "answered_per_s": round(answers / (answered - started), 1),
        "delivered": len(arrived),
        "delivered_per_s": round(len(arrived) / (last - started), 1),
        "lag_p50_ms": round(cuts[49], 1),
        "lag_p99_ms": round(cuts[98], 1),
        "bad_signatures": receiver.bad,
        "workers": workers,
        "answer_threads": threads,
    }


if __name__ == "__main__":
    print(json.dumps({"see": "bench/ingest.py --webhook-answers N"}))
