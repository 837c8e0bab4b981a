"""Benchmark of the dashboard at ten million responses (issue 3).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itpulse_bench python bench/dashboard.py

Loads 10 million responses (50 teams, 500 agents, 24 months) with COPY into the database of
DATABASE_URL unless they are there already, builds the rollups, then times the overview, a team
page for 90 days, the trend API for 24 months and a 90-day CSV export as the server runs them
(Django's test client against the real views: middleware, queries, templates), and the same
numbers computed by the simplest correct query over the raw responses. The data stays, so the
dashboard can be tried by hand (`manage.py runserver` with the same DATABASE_URL; the manager
login is printed). Ends with one JSON line of the figures.
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itpulse.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + secrets.token_urlsafe(16))
# The test client's host. (No setup_test_environment: its template instrumentation copies the
# context on every include, which a real server does not do and which would flatter nothing.)
os.environ["ALLOWED_HOSTS"] = "testserver"
# A benchmark measures the app, not the per-token rate limit (ITPULSE_API_RATE).
os.environ["ITPULSE_API_RATE"] = "100000000/minute"
# The manager is signed in by force_login, without the second factor an IT manager is sent to
# set up on PostgreSQL (signin.middleware.MfaRequiredMiddleware): the pages, not that redirect.
os.environ.setdefault("ITPULSE_REQUIRE_MFA", "false")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("bench: set DATABASE_URL to a PostgreSQL database of its own")

import django

django.setup()

import load  # noqa: E402
import raw  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from scoring import rollups  # noqa: E402
from scoring.models import TeamDailyScore  # noqa: E402
from surveys.models import Response, Team  # noqa: E402

TEAM = "team-07"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def timed(fn, runs: int) -> list[float]:
    fn()  # warm the caches and the connection once
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p(times: list[float], q: int) -> float:
    if len(times) == 1:
        return round(times[0], 1)
    return round(statistics.quantiles(times, n=100, method="inclusive")[q - 1], 1)


def get(client: Client, url: str):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        if response.streaming:
            return b"".join(response.streaming_content)
        return response.content

    return fetch


def prepare(responses: int, unanswered: int) -> None:
    call_command("migrate", verbosity=0)
    have = Response.objects.count()
    if have == responses and TeamDailyScore.objects.exists():
        log(f"reusing {have:,} responses already loaded")
        return
    log(f"found {have:,} responses, want {responses:,}: loading afresh")
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE surveys_response, surveys_invitation, surveys_ticket, surveys_agent,"
            " surveys_requester, surveys_team, scoring_teamdailyscore, scoring_dailyscore"
            " CASCADE"
        )
    started = time.perf_counter()
    with transaction.atomic():  # all or nothing: a half load is never mistaken for data
        load.load(responses=responses, unanswered=unanswered, now=timezone.now(), log=log)
    log(f"loaded in {time.perf_counter() - started:.0f} s; building the rollups")
    started = time.perf_counter()
    written = rollups.rebuild()
    log(f"rollups {written} in {time.perf_counter() - started:.0f} s; analyzing")
    load.analyze()


def measure(runs: int, raw_runs: int) -> dict:
    password = secrets.token_urlsafe(12)
    client = Client()
    client.force_login(load.manager(password))
    today = timezone.localdate()
    team = Team.objects.get(slug=TEAM)
    since_24 = (today - timedelta(days=730)).isoformat()
    figures = {}
    log("overview")
    figures["overview"] = timed(get(client, "/dashboard/"), runs)
    log("team page")
    figures["team"] = timed(get(client, f"/dashboard/teams/{TEAM}/?period=90"), runs)
    log("trend API")
    token = raw.api_token()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    trend_url = f"/api/v1/teams/{TEAM}/trend?interval=week&since={since_24}&until={today}"
    figures["trend"] = timed(get(api, trend_url), runs)
    log("raw queries")
    figures["raw_overview"] = timed(lambda: raw.overview(today), raw_runs)
    figures["raw_team"] = timed(lambda: raw.team_page(team, today), raw_runs)
    figures["raw_trend"] = timed(lambda: raw.trend(team, today), raw_runs)
    same = raw.same_numbers(team, today)
    log("export")

    def stream(days: int) -> int:
        since = today - timedelta(days=days - 1)
        query = f"period=custom&since={since}&until={today}"
        response = client.get(f"/dashboard/teams/{TEAM}/export.csv?{query}")
        assert response.status_code == 200 and response.streaming
        return sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1

    stream(90)  # warm
    started = time.perf_counter()
    rows = stream(90)
    export_s = time.perf_counter() - started
    peaks = {}
    for days in (90, 730):  # eight times the rows: the peak memory must not follow
        tracemalloc.start()
        peaks[days] = (stream(days), round(tracemalloc.get_traced_memory()[1] / 1e6, 1))
        tracemalloc.stop()
    result = {
        "responses": Response.objects.count(),
        "overview_p50_ms": p(figures["overview"], 50),
        "overview_p95_ms": p(figures["overview"], 95),
        "team_p50_ms": p(figures["team"], 50),
        "team_p95_ms": p(figures["team"], 95),
        "trend_p50_ms": p(figures["trend"], 50),
        "trend_p95_ms": p(figures["trend"], 95),
        "raw_overview_p50_ms": p(figures["raw_overview"], 50),
        "raw_overview_p95_ms": p(figures["raw_overview"], 95),
        "raw_team_p50_ms": p(figures["raw_team"], 50),
        "raw_team_p95_ms": p(figures["raw_team"], 95),
        "raw_trend_p50_ms": p(figures["raw_trend"], 50),
        "raw_trend_p95_ms": p(figures["raw_trend"], 95),
        "raw_same_numbers": same,
        "export_rows": rows,
        "export_rows_per_s": round(rows / export_s),
        "export_90d_peak_mb": peaks[90][1],
        "export_730d_rows": peaks[730][0],
        "export_730d_peak_mb": peaks[730][1],
    }
    # The weakest of the three comparisons, so the headline never flatters.
    result["raw_ratio"] = round(
        min(
            result["raw_overview_p50_ms"] / result["overview_p50_ms"],
            result["raw_team_p50_ms"] / result["team_p50_ms"],
            result["raw_trend_p50_ms"] / result["trend_p50_ms"],
        ),
        1,
    )
    print(f"Try it: manage.py runserver with this DATABASE_URL; log in as manager / {password}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument("--unanswered", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--raw-runs", type=int, default=5)
    parser.add_argument("--load-only", action="store_true", help="load the data, measure nothing")
    args = parser.parse_args()
    prepare(args.responses, args.unanswered)
    if not args.load_only:
        print(json.dumps(measure(args.runs, args.raw_runs)))


if __name__ == "__main__":
    main()
