"""The deployed settings with the benchmark's URL conf (bench/urls.py): only bench/answer.py's
gunicorn uses this module, so the floor view never reaches a deployed site."""

from itpulse.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
