#!/usr/bin/env bash
# The one set-up command: install, migrate, load the demo organisation and serve ITPulse on the
# embedded default (SQLite in var/, a Celery worker with embedded beat on a broker kept in files
# under var/broker/, e-mail kept on the "Sent mail" page).
source "$(dirname "${BASH_SOURCE[0]}")/_env.sh"
ensure_venv ""
PORT="${PORT:-8000}"
export ITPULSE_BASE_URL="${ITPULSE_BASE_URL:-http://127.0.0.1:$PORT}"
.venv/bin/python manage.py migrate --noinput -v0
# Rate-limit counters: without Redis they live in a database table (settings.CACHES).
.venv/bin/python manage.py createcachetable
.venv/bin/python manage.py collectstatic --noinput -v0
# One login per role ("IT manager: manager / <password>" and so on): shown on this terminal only.
demo="$(.venv/bin/python manage.py itpulse_demo)"
grep -v ' / ' <<<"$demo"
logins="$(grep ' / ' <<<"$demo")"
echo
echo "ITPulse runs at $ITPULSE_BASE_URL/  —  sign in as:"
echo "$logins"
echo "As the administrator, close a ticket under Tickets, open its survey under Sent mail and"
echo "answer it; as the IT manager, see it on the Dashboard."
echo
# The worker (and its beat, which dispatches due surveys every minute) stops with this script.
.venv/bin/python -m celery -A itpulse worker -B --concurrency=1 --without-gossip \
  --without-mingle --loglevel=WARNING &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT INT TERM
.venv/bin/python manage.py runserver "127.0.0.1:$PORT"
