# Check, and start when they are down and this machine can, the PostgreSQL and Redis that the
# tests use. Only the default local addresses are started; a given DATABASE_URL is only checked.

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  if [ -z "${DATABASE_URL:-}" ] && command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "Starting PostgreSQL …"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  fi
  if [ -n "${DATABASE_URL:-}" ]; then return 0; fi
  echo "PostgreSQL is not reachable on 127.0.0.1:5432; start it or set DATABASE_URL." >&2
  exit 1
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then return 0; fi
  if [ -z "${REDIS_URL:-}" ] && command -v redis-server >/dev/null 2>&1; then
    echo "Starting Redis …"
    mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && return 0; sleep 1; done
  fi
  if [ -n "${REDIS_URL:-}" ]; then return 0; fi
  echo "Redis is not reachable on 127.0.0.1:6379; start it or set REDIS_URL." >&2
  exit 1
}
