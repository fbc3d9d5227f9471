#!/usr/bin/env bash
# Scheduler beside the two peers of the shared benchmark (Fastify + better-sqlite3, plain ASP.NET Core + SQLite), one
# run, the same driver and workload for all three (the shared benchmark's bench/compare.sh), then the ratios ours / peer.
#
#   bench/compare.sh            # ROUNDS=1; every BENCH_* and SEED_COUNT of the shared driver applies; KEEP_DB=1
#   PEERS=/path/to/bench bench/compare.sh
#
# Needs, besides this repository: the shared benchmark's checkout, which is not part of it. It is looked for in
# ../shared/bench beside this repository (PEERS names another place) and must hold bench/compare.sh (the driver),
# fastify/start.sh and aspnet-sqlite/start.sh (the peers). Tools: dotnet, node + npm (the Fastify peer), wrk, curl, jq.
# The rest of bench/ (run.sh, start.sh) needs nothing outside the repository.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; SHARED="${PEERS:-$ROOT/../shared/bench}"
for needed in bench/compare.sh fastify/start.sh aspnet-sqlite/start.sh; do
  [ -f "$SHARED/$needed" ] || {
    echo "bench: $SHARED/$needed not found: bench/compare.sh needs the shared benchmark's checkout (../shared/bench beside this repository, or PEERS=<its path>)" >&2
    exit 1
  }
done
export ADMIN_PASSWORD="${ADMIN_PASSWORD:-a-long-admin-passphrase}" RESULTS_DIR="${RESULTS_DIR:-$(mktemp -d)}"
"$SHARED/bench/compare.sh" scheduler "$ROOT/bench/start.sh" fastify "$SHARED/fastify/start.sh" aspnet "$SHARED/aspnet-sqlite/start.sh"
# bench.sh prints "<scenario> <req/s> ..." lines per server; the ratios take the first number of each line.
awk '
  /^== / { server = $2; next }
  /^[a-z_]+ +[0-9.]+/ && $1 != "seeded" && server != "" { rps[server, $1] = $2; scenarios[$1] = 1 }
  END {
    printf "%-12s %12s %12s\n", "scenario", "vs fastify", "vs aspnet"
    for (s in scenarios) if (rps["scheduler", s] != "")
      printf "%-12s %11.2fx %11.2fx\n", s, rps["scheduler", s] / (rps["fastify", s] ? rps["fastify", s] : 1), rps["scheduler", s] / (rps["aspnet", s] ? rps["aspnet", s] : 1)
  }' "$RESULTS_DIR/summary.txt"
# The servers' databases (~400 MB a round) go; the summary, each server's bench lines and log stay.
[ "${KEEP_DB:-0}" = 1 ] || rm -rf "$RESULTS_DIR"/*-r*/db
echo "# results in $RESULTS_DIR$([ "${KEEP_DB:-0}" = 1 ] || echo " (databases removed; KEEP_DB=1 keeps them)")"
