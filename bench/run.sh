#!/usr/bin/env bash
# Runs every row of the bench module in one `go test -bench` run, five times
# each, and writes RESULTS.md beside this script (medians, ratios to
# connectkit, the scaling rows at n=100, 1000 and 10000). The raw output is
# kept in results.txt. Extra arguments go to go test (e.g. -bench Permission).
set -euo pipefail
cd "$(dirname "$0")"
count=${COUNT:-5}
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
go test -run '^$' -bench . -benchmem -count="$count" "$@" . | tee results.txt
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
machine="$(uname -sm), ${cpu:-unknown CPU}, $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
go run ./internal/results -count "$count" -machine "$machine" -go "$(go version)" \
  -date "$(date -u +%Y-%m-%dT%H:%MZ)" -load "$load_before / $load_after" <results.txt >RESULTS.md
echo "wrote $(pwd)/RESULTS.md"
