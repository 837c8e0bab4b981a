"""The web server's settings: one file that the Dockerfile, compose and the benchmark all use."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

from itpulse import gunicorn

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorn_accepts_the_settings_and_loads_the_app():
    gunicorn_bin = Path(sys.executable).parent / "gunicorn"
    result = subprocess.run(
        [gunicorn_bin, "--check-config", "-c", "python:itpulse.gunicorn", "itpulse.wsgi"],
        cwd=ROOT,
        env=os.environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_workers_and_threads_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "2")
    try:
        settings = importlib.reload(gunicorn)
        assert (settings.workers, settings.threads, settings.worker_class) == (3, 2, "gthread")
        monkeypatch.delenv("WEB_CONCURRENCY")
        monkeypatch.setattr(os, "process_cpu_count", lambda: 1)
        assert importlib.reload(gunicorn).workers == 2
    finally:
        monkeypatch.undo()
        importlib.reload(gunicorn)


def test_deployments_start_gunicorn_with_these_settings():
    # So that bench/ingest.py measures what is deployed.
    for name in ("Dockerfile", "docker-compose.yml"):
        text = (ROOT / name).read_text()
        assert "python:itpulse.gunicorn" in text, name
        assert "--workers" not in text, name


def test_default_workers_stay_within_postgres_connections(monkeypatch):
    """Each thread keeps its own connection; PostgreSQL allows 100 by default."""
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    monkeypatch.setattr(os, "process_cpu_count", lambda: 16)  # a container on a 16-core host
    try:
        settings = importlib.reload(gunicorn)
        assert settings.workers * settings.threads <= 16, (settings.workers, settings.threads)
    finally:
        monkeypatch.undo()
        importlib.reload(gunicorn)


def test_each_worker_freezes_what_loading_the_app_created():
    # Full garbage collections over Django's ~100,000 start-up objects paused requests ~45 ms.
    import gc

    try:
        gunicorn.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
