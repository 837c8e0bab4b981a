"""All the benchmarks in one command, with one table of figures beside the targets of issue 18.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/itpulse_bench \\
    REDIS_URL=redis://127.0.0.1:6379/6 .venv/bin/python bench/run.py      # or: python -m bench

Runs, one after the other and each as its own process on a database of its own (the name in
DATABASE_URL with a suffix: `_answer`, `_ingest`, `_delivery`, `_dashboard`; each is emptied or
recreated by its script, so the name must contain "bench"):

- bench/answer.py: survey links answered by POST at 16 connections against gunicorn with
  5 workers, in interleaved rounds with a one-query floor view (so its share of the floor holds
  on a busy machine), the survey page (GET) and the thank-you page;
- bench/dashboard.py: overview, team page, trend API and CSV export through the real views;
- bench/ingest.py: tickets through the API (single calls, webhooks, batches) and outgoing
  webhooks;
- bench/delivery.py: e-mails per second to an SMTP sink, and a backlog drained.

By default on small data so the whole run takes a few minutes (the dashboard on 200,000
responses, not the 10 million its targets are set for: the table says so); `--full` runs each
at its own defaults (10 million responses: a first load takes some 15 minutes, later runs reuse
it). Prints one table (figure, target, met) and writes every figure to `--json`
(bench/results.json). The machine's load average is printed beside each benchmark: other work on
the machine moves absolute figures, not the answer's share of the floor measured in its rounds.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
# Each benchmark's options: (small, for the default run; full, for --full).
RUNS: dict[str, tuple[list[str], list[str]]] = {
    "answer": (["--seconds", "5"], []),
    "dashboard": (
        ["--responses", "200000", "--unanswered", "20000", "--runs", "20", "--raw-runs", "3"],
        [],
    ),
    "ingest": (
        ["--seconds", "10", "--batch-seconds", "5", "--webhook-answers", "300"],
        [],
    ),
    "delivery": (["--tickets", "500", "--backlog", "2000", "--campaign", "0"], []),
}
# django-nps (a small open-source Django NPS app) posting one score, issue 18's measurement.
PEER_ANSWERS_PER_S = 201


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def database_url(suffix: str, full: bool) -> str:
    url = urlparse(os.environ["DATABASE_URL"])
    name = url.path.lstrip("/") + suffix + ("_10m" if full and suffix == "_dashboard" else "")
    return url._replace(path=f"/{name}").geturl()


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run_one(name: str, full: bool) -> dict:
    url = database_url(f"_{name}", full)
    ensure_database(url)
    small, large = RUNS[name]
    command = [sys.executable, str(BENCH / f"{name}.py"), *(large if full else small)]
    env = {**os.environ, "DATABASE_URL": url}
    before = load_average()
    log(f"{name}: {' '.join(command[1:])} on {urlparse(url).path[1:]} (load {before})")
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode or not lines:
        log(f"{name} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return {"failed": done.returncode or "no figures", "seconds": round(seconds)}
    figures = json.loads(lines[-1])
    figures["_run"] = {
        "seconds": round(seconds),
        "load_before": before,
        "load_after": load_average(),
        "options": command[2:],
    }
    log(f"{name}: done in {seconds:.0f} s (load {figures['_run']['load_after']})")
    return figures


def _get(figures: dict, *path):
    for key in path:
        if not isinstance(figures, dict) or key not in figures:
            return None
        figures = figures[key]
    return figures


def _n(value, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{unit}"


def rows(results: dict, full: bool) -> list[dict]:
    """The table: what, figure, target, met (None where the issue sets no target)."""
    a, d = results.get("answer", {}), results.get("dashboard", {})
    i, v = results.get("ingest", {}), results.get("delivery", {})
    table = []

    def add(what: str, figure: str, target: str = "—", met: bool | None = None) -> None:
        table.append({"what": what, "figure": figure, "target": target, "met": met})

    rate, floor = _get(a, "answer", "per_s"), _get(a, "floor", "per_s")
    share, p99 = _get(a, "answer_share_of_floor"), _get(a, "answer", "p99_ms")
    span = _get(a, "answer", "per_s_range")
    load = _get(a, "load_average")
    add(
        "Answer a survey (POST, 16 connections): answers/s, median of rounds",
        _n(rate, "/s", 1) + (f" ({span[0]:,.0f}–{span[1]:,.0f})" if span else ""),
        f"≥ {2 * PEER_ANSWERS_PER_S}/s (2 × django-nps's {PEER_ANSWERS_PER_S}/s)",
        None if rate is None else rate >= 2 * PEER_ANSWERS_PER_S,
    )
    add(
        "Answer: share of the one-query floor in the same rounds",
        _n(None if share is None else share * 100, " %"),
        "≥ 75 %",
        None if share is None else share >= 0.75,
    )
    add("Answer p99", _n(p99, " ms", 1), "< 50 ms", None if p99 is None else p99 < 50)
    add(
        "One-query floor view (same rounds): requests/s, p99",
        f"{_n(floor, '/s', 1)}, {_n(_get(a, 'floor', 'p99_ms'), ' ms', 1)}",
    )
    queries = _get(a, "queries") or {}
    add(
        "SQL statements: first answer / changed answer / survey GET / thank-you",
        " / ".join(
            _n(queries.get(k))
            for k in ("first_answer", "changed_answer", "survey_get", "thanks_get")
        ),
        "(django-nps: 3 per score)",
    )
    for kind, label in (("survey", "Survey page (GET) p99"), ("thanks", "Thank-you page p99")):
        value = _get(a, kind, "p99_ms")
        rate_k = _get(a, kind, "per_s")
        add(
            f"{label}, 16 connections",
            f"{_n(value, ' ms', 1)} ({_n(rate_k, '/s', 1)})",
            "< 30 ms",
            None if value is None else value < 30,
        )
    add(
        "Tasks the answers queued, drained by one Celery worker afterwards",
        f"{_n(_get(a, 'tasks', 'tasks'))} at {_n(_get(a, 'tasks', 'per_s'), '/s', 1)}",
    )
    checks = _get(a, "checks") or {}
    add(
        "Race check: invitations with two answers / rollup rows off a recount",
        f"{_n(checks.get('invitations_with_two_answers'))} / "
        f"{_n(checks.get('rollup_differences'))}",
        "0 / 0",
        None
        if not checks
        else not checks["invitations_with_two_answers"] and not checks["rollup_differences"],
    )
    if load:
        add("Load average (1, 5, 15 min) during the answer rounds", f"{load[0]} → {load[-1]}")

    responses = _get(d, "responses")
    scale = f" at {_n(responses)} responses" + ("" if full else " (targets: at 10 M)")
    for key, label, limit in (
        ("overview_p95_ms", "Dashboard overview p95", 50),
        ("team_p95_ms", "Team page p95", 50),
        ("trend_p95_ms", "Trend API p95", 20),
    ):
        value = _get(d, key)
        add(
            label + scale,
            _n(value, " ms", 1),
            f"< {limit} ms",
            None if value is None else value < limit,
        )
    short, long = _get(d, "export_90d_peak_mb"), _get(d, "export_730d_peak_mb")
    add(
        "CSV export peak memory, 90 days / 730 days (8× the rows)",
        f"{_n(short, ' MB', 1)} / {_n(long, ' MB', 1)}",
        "flat",
        None if short is None or long is None else long <= max(short * 1.5, short + 2),
    )

    single, p99_single = _get(i, "single_rps"), _get(i, "single_p99_ms")
    hook, batch = _get(i, "hook_rps"), _get(i, "batch_tickets_per_s")
    add(
        "Ingest: single calls/s, 32 clients",
        _n(single, "/s", 1),
        "≥ 600/s",
        None if single is None else single >= 600,
    )
    add(
        "Ingest: single call p99",
        _n(p99_single, " ms", 1),
        "< 100 ms",
        None if p99_single is None else p99_single < 100,
    )
    add(
        "Ingest: batches, tickets/s",
        _n(batch, "/s"),
        "≥ 10,000/s",
        None if batch is None else batch >= 10_000,
    )
    add(
        "Ingest: helpdesk webhook calls/s (share of single calls)",
        _n(hook, "/s", 1) + (f" ({hook / single:.0%})" if hook and single else ""),
        "≥ 80 % of single calls",
        None if not hook or not single else hook >= 0.8 * single,
    )
    add(
        "Outgoing webhooks delivered/s, lag p99",
        f"{_n(_get(i, 'webhooks', 'delivered_per_s'), '/s', 1)}, "
        f"{_n(_get(i, 'webhooks', 'lag_p99_ms'), ' ms')}",
    )
    add(
        "Delivery: e-mails/s, ticket closed → SMTP accepted",
        _n(_get(v, "emails_per_s"), "/s", 1) + f" ({_n(_get(v, 'tickets'))} tickets)",
    )
    add(
        "Delivery: backlog drained, e-mails/s",
        _n(_get(v, "backlog_emails_per_s"), "/s", 1) + f" ({_n(_get(v, 'backlog'))} due)",
    )
    return table


def render(table: list[dict]) -> str:
    mark = {True: "yes", False: "no", None: ""}
    lines = ["| what | figure | target | met |", "|---|---|---|---|"]
    lines += [f"| {r['what']} | {r['figure']} | {r['target']} | {mark[r['met']]} |" for r in table]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="each benchmark at its own sizes")
    parser.add_argument("--json", default=str(BENCH / "results.json"), help="where to write")
    parser.add_argument("--only", default=",".join(RUNS), help="a comma list of " + ", ".join(RUNS))
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in urlparse(url).path:
        sys.exit("bench: set DATABASE_URL to a PostgreSQL database name with 'bench' in it")
    if not os.environ.get("REDIS_URL"):
        sys.exit("bench: set REDIS_URL")
    chosen = [name for name in args.only.split(",") if name]
    if unknown := set(chosen) - set(RUNS):
        sys.exit(f"bench: unknown {', '.join(sorted(unknown))}")
    started = datetime.now(UTC)
    results = {name: run_one(name, args.full) for name in chosen}
    table = rows(results, args.full)
    print(render(table))
    Path(args.json).write_text(
        json.dumps(
            {
                "started": started.isoformat(timespec="seconds"),
                "mode": "full" if args.full else "small",
                "cpus": os.cpu_count(),
                "table": table,
                "results": results,
            },
            indent=1,
        )
        + "\n"
    )
    log(f"figures written to {args.json}")
    if any(figures.get("failed") for figures in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
