#!/usr/bin/env bash
# Makes a local PostgreSQL available to the tests and prints its connection URL as the last line of
# stdout (everything else goes to stderr).
#
#   - CONVENE_TEST_DATABASE_URL set: print it, nothing else.
#   - Debian's postgresql installed (pg_lsclusters): start the cluster if it is down, create the role
#     `convene` (password `convene`) and the database `convene_test` it owns, print the URL.
#   - Otherwise: say what to install, exit 1.
#
# Idempotent; works as root (CI), as the postgres user, or as a user with sudo.
set -euo pipefail
PATH="$PATH:/usr/sbin:/sbin" # runuser, when root has a minimal PATH

if [ -n "${CONVENE_TEST_DATABASE_URL:-}" ]; then
  echo "$CONVENE_TEST_DATABASE_URL"
  exit 0
fi

fail() {
  echo "test-postgres: $*" >&2
  exit 1
}

if ! command -v pg_lsclusters >/dev/null 2>&1; then
  fail "PostgreSQL is not installed; install PostgreSQL: sudo apt-get install -y postgresql (or set CONVENE_TEST_DATABASE_URL)"
fi

# Runs a command as the postgres user, from / (its home may not be readable from here).
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  elif [ "$(id -un)" = postgres ]; then
    (cd / && "$@")
  else
    (cd / && sudo -n -u postgres -- "$@")
  fi
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi
}

# The cluster named main, newest version first: "<version> <port> <status>".
cluster=$(pg_lsclusters --no-header | awk '$2 == "main" { print $1, $3, $4 }' | sort -rV | head -n 1)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -rV | head -n 1)
  [ -n "$version" ] || fail "no PostgreSQL version found in /usr/lib/postgresql"
  echo "test-postgres: creating cluster $version/main" >&2
  as_root pg_createcluster "$version" main >&2 || fail "could not create cluster $version/main"
  cluster=$(pg_lsclusters --no-header | awk '$2 == "main" { print $1, $3, $4 }' | sort -rV | head -n 1)
fi
read -r version port status <<<"$cluster"

if [ "$status" != "online" ]; then
  echo "test-postgres: starting cluster $version/main" >&2
  as_root pg_ctlcluster "$version" main start >&2 ||
    fail "could not start cluster $version/main (see /var/log/postgresql/postgresql-$version-main.log)"
fi

for _ in $(seq 1 60); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then break; fi
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || fail "PostgreSQL $version/main is not accepting connections on port $port"

psql_admin() {
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@"
}

# Role: created if missing (tolerating a concurrent creator), password reset each time.
psql_admin >&2 <<'SQL' || fail "could not create the role convene"
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'convene') THEN
    BEGIN
      CREATE ROLE convene LOGIN PASSWORD 'convene';
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  ALTER ROLE convene LOGIN PASSWORD 'convene';
END
$$;
SQL

db_exists() {
  [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = 'convene_test'")" = "1" ]
}
if ! db_exists; then
  psql_admin -c "CREATE DATABASE convene_test OWNER convene" >&2 || db_exists ||
    fail "could not create the database convene_test"
fi

echo "postgres://convene:convene@127.0.0.1:$port/convene_test"
