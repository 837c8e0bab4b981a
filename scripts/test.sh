#!/usr/bin/env bash
# The one test command: lint, migrations check and the whole suite on PostgreSQL and Redis,
# with real Celery worker and SMTP processes for the end-to-end tests, then the tests of the
# hand-written SQL again on SQLite. CI runs exactly this.
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
ensure_venv dev
source scripts/_services.sh
ensure_postgres
ensure_redis
# Browser tests (tests/browser/) drive Debian's Chromium; no browser is ever downloaded. CI runs
# on a clean machine, so install the package when it is missing and we may.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing Debian's chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# tests/e2e/test_pgbouncer.py runs the app behind Debian's PgBouncer in transaction mode
# (docs/scaling.md); the same: installed when missing and we may, else that test is skipped.
if [ ! -x /usr/sbin/pgbouncer ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing Debian's pgbouncer for the connection-pooler test"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgbouncer >/dev/null
fi

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/itpulse}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/15}"
# A queue of this run's own, so that no other Celery worker on the machine takes our tasks.
export ITPULSE_QUEUE="itpulse-test-$$"
export SECRET_KEY="${SECRET_KEY:-test-only-not-secret}"
export CONN_MAX_AGE=0
unset EMAIL_URL ITPULSE_BASE_URL
# Keep compiled modules in __pycache__ (ignored by git), the assertion-rewritten tests included:
# with PYTHONDONTWRITEBYTECODE set (this machine's environment sets it) every process of every
# run (each pytest-xdist worker, each Celery worker and web server an end-to-end test starts)
# compiled our ~1,000 modules again. Collecting the suite took 6.8 s of CPU per process so,
# 3.9 s with the cache.
unset PYTHONDONTWRITEBYTECODE

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
# Every app, found rather than listed (scripts/appdirs.py), so that a new one is checked too.
# The django-stubs plugin imports itpulse.settings, with the environment exported above.
# shellcheck disable=SC2046  # one argument per app
.venv/bin/mypy $(.venv/bin/python scripts/appdirs.py)
echo "== migrations match the models"
# (on the embedded SQLite: the check needs no database of its own)
env -u DATABASE_URL .venv/bin/python manage.py makemigrations --check --dry-run
echo "== tests (PostgreSQL $DATABASE_URL, Redis $REDIS_URL)"
# In parallel, one process a core (pytest-xdist; each with its own test database and Celery
# queue, tests/conftest.py); work stealing, as a few end-to-end and browser tests take seconds.
.venv/bin/python -m pytest --create-db --numprocesses="${ITPULSE_TEST_PROCESSES:-auto}" \
  --dist=worksteal "$@"
echo "== hand-written SQL on the embedded SQLite (tests marked both_databases)"
# surveys/sql.py has SQLite branches (VALUES instead of UNNEST, no FOR UPDATE) that the run
# above never takes: the tests of the SQL run again on the embedded default, in seconds.
sqlite_var="$(mktemp -d)"
env -u DATABASE_URL -u REDIS_URL ITPULSE_VAR_DIR="$sqlite_var" \
  .venv/bin/python -m pytest -q -p no:cacheprovider -m both_databases tests
rm -rf "$sqlite_var"
