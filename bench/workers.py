"""Celery worker processes for the benchmarks, started as production starts them (one process
each, the first with the beat), each in its own session so that a case can kill one."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def celery_workers(
    queue: str, count: int, *, name: str, first: int = 0, **env: str
) -> list[subprocess.Popen]:
    """`count` workers on `queue`, named `<name><n>@host`; worker 0 runs the beat (the tick,
    the safety net behind the nudges). `env` adds to this process's environment."""
    environment = dict(os.environ, LOG_LEVEL="WARNING", **env)
    workers = []
    for n in range(first, first + count):
        command = [
            sys.executable,
            *("-m", "celery", "-A", "itpulse", "worker", "--concurrency=1"),
            *("--without-gossip", "--without-mingle", "--loglevel=WARNING"),
            *("-Q", queue, f"--hostname={name}{n}@%h"),
            *(["-B"] if n == 0 else []),
        ]
        workers.append(
            subprocess.Popen(
                command,
                cwd=ROOT,
                env=environment,
                start_new_session=True,
                stdout=subprocess.DEVNULL,
            )
        )
    return workers
