#!/usr/bin/env bash
# Scheduler beside the two peers of ../shared/bench (Fastify + better-sqlite3, plain ASP.NET Core + SQLite), one run,
# the same driver and workload for all three (../shared/bench/bench/compare.sh), then the ratios ours / peer.
#
#   bench/compare.sh            # ROUNDS=1; every BENCH_* and SEED_COUNT of the shared driver applies; KEEP_DB=1
# Needs: dotnet, node + npm (the Fastify peer), wrk, curl, jq.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"; SHARED="$ROOT/../shared/bench"
[ -x "$SHARED/bench/compare.sh" ] || { echo "bench: $SHARED/bench/compare.sh not found" >&2; exit 1; }
export ADMIN_PASSWORD="${ADMIN_PASSWORD:-admin-password-12}" RESULTS_DIR="${RESULTS_DIR:-$(mktemp -d)}"
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
