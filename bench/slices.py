"""Benchmark of the team page, the trend API and the export filtered by a slice (issue 17,
point 3), at the per-team density of the ten-million-response benchmark (bench/dashboard.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itpulse_bench_slices python bench/slices.py

A slice is read from one team's rows of the period (scoring/slices.py), so what it costs
depends on how many answers one team has, not on the table: 10 M responses over 50 teams and
24 months is 200,000 a team. This loads bench/load.py's data with 10 teams and 2 M responses
(the same 200,000 a team, same days), gives every ticket and answer a slice (8 categories,
4 priorities, 5 channels, 12 departments), and times each view with and without a filter.
Ends with one JSON line of the figures (p50 / p95 in ms).
"""

import json
import os
import secrets
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itpulse.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-" + secrets.token_urlsafe(16))
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["ITPULSE_API_RATE"] = "100000000/minute"
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    sys.exit("bench: set DATABASE_URL to a PostgreSQL database of its own")

import django

django.setup()

import dashboard  # noqa: E402
import load  # noqa: E402
import raw  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

load.TEAMS = 10  # 2 M over 10 teams: 200,000 a team, as 10 M over 50
RESPONSES, UNANSWERED = 2_000_000, 200_000
TEAM = "team-07"
SLICE_SQL = [
    "UPDATE surveys_requester SET department = 'Dept ' || (id % 12)",
    "UPDATE surveys_ticket SET category = 'category ' || (id % 8),"
    " priority = (ARRAY['low','normal','high','urgent'])[id % 4 + 1],"
    " channel = (ARRAY['email','phone','portal','chat','walk_in'])[id % 5 + 1]",
    "UPDATE surveys_response r SET slice_category = t.category, slice_priority = t.priority,"
    " slice_channel = t.channel, slice_department = q.department"
    " FROM surveys_invitation i JOIN surveys_ticket t ON t.id = i.ticket_id"
    " JOIN surveys_requester q ON q.id = i.requester_id WHERE r.invitation_id = i.id",
    "ANALYZE",
]


def main() -> None:
    dashboard.prepare(RESPONSES, UNANSWERED)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM surveys_ticket WHERE category <> ''")
        if not cursor.fetchone()[0]:
            dashboard.log("giving every ticket and answer a slice")
            for sql in SLICE_SQL:
                cursor.execute(sql)
    client = Client()
    client.force_login(load.manager(secrets.token_urlsafe(12)))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw.api_token()}")
    today = timezone.localdate()
    since_24 = (today - timedelta(days=730)).isoformat()
    page = f"/dashboard/teams/{TEAM}/?period=90"
    trend = f"/api/v1/teams/{TEAM}/trend?interval=week&since={since_24}&until={today}"
    export = f"/dashboard/teams/{TEAM}/export.csv?period=90"
    views = {
        "team": (client, page),
        "team_category": (client, page + "&category=category+3"),
        "team_department": (client, page + "&department=Dept+5"),
        "team_priority_channel": (client, page + "&priority=high&channel=phone"),
        "trend": (api, trend),
        "trend_category": (api, trend + "&category=category+3"),
        "export_category": (client, export + "&category=category+3"),
    }
    result: dict[str, object] = {"responses": RESPONSES, "team_responses_90d": 0}
    for name, (who, url) in views.items():
        dashboard.log(name)
        times = dashboard.timed(dashboard.get(who, url), 15)
        result[f"{name}_p50_ms"] = dashboard.p(times, 50)
        result[f"{name}_p95_ms"] = dashboard.p(times, 95)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM surveys_response r JOIN surveys_team t ON t.id = r.team_id"
            " WHERE t.slug = %s AND r.created_at >= now() - interval '90 days'",
            [TEAM],
        )
        result["team_responses_90d"] = cursor.fetchone()[0]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
