#!/usr/bin/env bash
# The PostgreSQL adapter's CI (examples/pgstore, a nested module).
#
# Starts two throw-away PostgreSQL clusters in a temporary directory on
# loopback ports and runs the adapter's tests against them, then gofmt, go
# vet and staticcheck on the nested module:
#
#   - "fast" (fsync off, CONNECTKIT_PG_URL): the conformance suites of
#     account, links and relink, their concurrency clauses, the two-replica
#     races;
#   - "durable" (PostgreSQL's default durability settings: fsync,
#     synchronous_commit and full_page_writes on; CONNECTKIT_PG_DURABLE_*):
#     durability_test.go, which stops it with `pg_ctl stop -m immediate`
#     under 64 writers and starts it again.
#
# The servers are stopped and the directory removed on exit, success or
# failure. If a server cannot start, this script fails: it never skips.
#
# Run it from anywhere:  bash .ci/pg.sh
# Extra arguments go to `go test`, e.g.  bash .ci/pg.sh -run Relink -v
# PGSTORE_BENCH=1 also runs the benchmarks (pg and in-memory) once, or
# PGSTORE_BENCH_COUNT times (medians need 5).
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

# --- two temporary clusters, stopped and removed on exit -------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/connectkit-pg.XXXXXX")
started=()
cleanup() {
  local rc=$?
  local d
  for d in "${started[@]}"; do
    "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1 || true
  done
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

# A free loopback port: the first of 54329… that nothing listens on. Each
# cluster is started before the next port is chosen, so they differ.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for p in $(seq 54329 54399); do
    if ! port_in_use "$p"; then
      echo "$p"
      return
    fi
  done
  echo "pg.sh: no free loopback port in 54329-54399" >&2
  exit 1
}

# start_cluster NAME PORT [SETTING...]: initdb $tmp/NAME/data, write the
# connection settings and SETTINGs into its postgresql.conf (so that a bare
# `pg_ctl -D … start` brings it back exactly as configured, which the
# durability test relies on), start it with its log in $tmp/NAME/server.log,
# wait until it accepts connections and create the database connectkit.
start_cluster() {
  local name=$1 port=$2
  shift 2
  local dir=$tmp/$name
  local data=$dir/data log=$dir/server.log
  mkdir -p "$dir"
  if [ ${#as_pg[@]} -gt 0 ]; then
    chown "$pg_user" "$dir"
  fi
  echo "== initdb $data"
  if ! "${as_pg[@]}" "$pg_bin/initdb" -D "$data" -U "$pg_user" --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    echo "pg.sh: initdb ($name) failed" >&2
    exit 1
  fi
  {
    echo "# connectkit .ci/pg.sh ($name)"
    echo "listen_addresses = '127.0.0.1'"
    echo "port = $port"
    echo "unix_socket_directories = '$dir'"
    local setting
    for setting in "$@"; do
      echo "$setting"
    done
  } >>"$data/postgresql.conf"
  echo "== starting PostgreSQL ($name) on 127.0.0.1:$port"
  started+=("$data")
  if ! "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null; then
    cat "$log" >&2 || true
    echo "pg.sh: PostgreSQL ($name) did not start" >&2
    exit 1
  fi
  local ready=
  for _ in $(seq 1 60); do
    if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$pg_user"; then
      ready=1
      break
    fi
    sleep 0.5
  done
  if [ -z "$ready" ]; then
    cat "$log" >&2 || true
    echo "pg.sh: PostgreSQL ($name) is not accepting connections on 127.0.0.1:$port" >&2
    exit 1
  fi
  "${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U "$pg_user" connectkit
}

# fast: throw-away data, no fsync. Enough connections for the conformance
# suites' 32-connection pools and the two-replica test's two pools.
port=$(free_port)
start_cluster fast "$port" \
  "max_connections = 300" "fsync = off" "synchronous_commit = off" \
  "full_page_writes = off" "shared_buffers = 128MB"

# durable: PostgreSQL's defaults for everything that decides durability
# (fsync, synchronous_commit, full_page_writes, wal_sync_method); only the
# connection settings above are added. The durability test checks them.
durable_port=$(free_port)
start_cluster durable "$durable_port"

export CONNECTKIT_PG_URL="postgres://$pg_user@127.0.0.1:$port/connectkit?sslmode=disable"
# What durability_test.go needs to stop and start the durable server.
export CONNECTKIT_PG_DURABLE_URL="postgres://$pg_user@127.0.0.1:$durable_port/connectkit?sslmode=disable"
export CONNECTKIT_PG_DURABLE_CTL="$pg_bin/pg_ctl"
export CONNECTKIT_PG_DURABLE_DATA="$tmp/durable/data"
export CONNECTKIT_PG_DURABLE_LOG="$tmp/durable/server.log"
export CONNECTKIT_PG_DURABLE_USER="$pg_user"
# With CI set the tests fail, rather than skip, if the URL is ever missing.
export CI=true

cd "$root/examples/pgstore"

echo "== go test -race ./...  (examples/pgstore, CONNECTKIT_PG_URL=$CONNECTKIT_PG_URL)"
go test -race -count=1 -timeout 10m "$@" ./...

if [ -n "${PGSTORE_BENCH:-}" ]; then
  echo "== go test -bench . -benchmem (examples/pgstore)"
  go test -run '^$' -bench . -benchmem -count="${PGSTORE_BENCH_COUNT:-1}" ./...
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
