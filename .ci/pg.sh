#!/usr/bin/env bash
# The PostgreSQL adapter's CI (examples/pgstore, a nested module).
#
# Starts a throw-away PostgreSQL cluster in a temporary directory on a
# loopback port, runs the adapter's tests against it (the conformance suites
# of account, links and relink, their concurrency clauses, the two-replica
# races), then gofmt, go vet and staticcheck on the nested module. The server
# is stopped and the directory removed on exit, success or failure. If the
# server cannot start, this script fails: it never skips.
#
# Run it from anywhere:  bash .ci/pg.sh
# Extra arguments go to `go test`, e.g.  bash .ci/pg.sh -run Relink -v
# PGSTORE_BENCH=1 also runs the benchmarks (pg and in-memory) once.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# --- find the PostgreSQL server binaries; install them if missing -----------
find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
      pg_bin=$d
    fi
  done
  if [ -z "${pg_bin:-}" ] && command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    pg_bin=$(dirname "$(command -v initdb)")
  fi
}
pg_bin=
find_pg_bin
if [ -z "$pg_bin" ]; then
  echo "== initdb not found: installing the postgresql package"
  if [ "$(id -u)" -ne 0 ]; then
    echo "pg.sh: initdb is missing and this is not root; install the postgresql package" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q postgresql
  find_pg_bin
  if [ -z "$pg_bin" ]; then
    echo "pg.sh: postgresql installed but initdb/pg_ctl still not found" >&2
    exit 1
  fi
fi
echo "== PostgreSQL binaries: $pg_bin ($("$pg_bin/pg_ctl" --version))"

# --- PostgreSQL refuses to run as root: run it as a plain user ------------
as_pg=()
pg_user=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  pg_user=postgres
  if ! id "$pg_user" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --shell /usr/sbin/nologin "$pg_user"
  fi
  as_pg=(runuser -u "$pg_user" --)
fi

# --- a temporary cluster, stopped and removed on exit ----------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/connectkit-pg.XXXXXX")
data=$tmp/data
log=$tmp/server.log
started=
cleanup() {
  local rc=$?
  if [ -n "$started" ]; then
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
chmod 700 "$tmp"
if [ ${#as_pg[@]} -gt 0 ]; then
  chown "$pg_user" "$tmp"
fi

# A free loopback port: the first of 54329… that nothing listens on.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port=
for p in $(seq 54329 54399); do
  if ! port_in_use "$p"; then
    port=$p
    break
  fi
done
if [ -z "$port" ]; then
  echo "pg.sh: no free loopback port in 54329-54399" >&2
  exit 1
fi

echo "== initdb $data"
if ! "${as_pg[@]}" "$pg_bin/initdb" -D "$data" -U "$pg_user" --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1; then
  cat "$tmp/initdb.log" >&2
  echo "pg.sh: initdb failed" >&2
  exit 1
fi

echo "== starting PostgreSQL on 127.0.0.1:$port"
# Throw-away data: no fsync. Enough connections for the conformance suites'
# 32-connection pools and the two-replica test's two pools.
opts="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$tmp"
opts="$opts -c max_connections=300 -c fsync=off -c synchronous_commit=off"
opts="$opts -c full_page_writes=off -c shared_buffers=128MB"
started=1
if ! "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$log" -o "$opts" -w -t 60 start >/dev/null; then
  cat "$log" >&2 || true
  echo "pg.sh: PostgreSQL did not start" >&2
  exit 1
fi
ready=
for _ in $(seq 1 60); do
  if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$pg_user"; then
    ready=1
    break
  fi
  sleep 0.5
done
if [ -z "$ready" ]; then
  cat "$log" >&2 || true
  echo "pg.sh: PostgreSQL is not accepting connections on 127.0.0.1:$port" >&2
  exit 1
fi
"${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U "$pg_user" connectkit

export CONNECTKIT_PG_URL="postgres://$pg_user@127.0.0.1:$port/connectkit?sslmode=disable"
# With CI set the tests fail, rather than skip, if the URL is ever missing.
export CI=true

cd "$root/examples/pgstore"

echo "== go test -race ./...  (examples/pgstore, CONNECTKIT_PG_URL=$CONNECTKIT_PG_URL)"
go test -race -count=1 -timeout 10m "$@" ./...

if [ -n "${PGSTORE_BENCH:-}" ]; then
  echo "== go test -bench . -benchmem (examples/pgstore)"
  go test -run '^$' -bench . -benchmem -count=1 ./...
fi

echo "== gofmt -l examples/pgstore"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt: these files are not formatted:" >&2
  echo "$unformatted" >&2
  exit 1
fi

echo "== go vet ./...  (examples/pgstore)"
go vet ./...

echo "== staticcheck ./...  (examples/pgstore)"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

echo "pgstore CI passed."
