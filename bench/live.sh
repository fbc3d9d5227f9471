#!/usr/bin/env bash
# Live-update fan-out: starts one silo (Release, bench/start.sh) on a free port, connects CLIENTS hub clients and
# books BOOKINGS interviews one at a time (bench/live.mjs), then stops the silo. Bounded: at most 5 s per booking.
# Env: CLIENTS (1000), BOOKINGS (50), CLIENT (signalr: the npm client; raw: its JSON protocol over a bare WebSocket),
#      WARMUP (10 bookings before measuring, so the silo runs its fan-out path compiled at tier 1; 0: a cold silo).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$ROOT/tests/live-js/node_modules/.package-lock.json" ] || (cd "$ROOT/tests/live-js" && npm ci --no-audit --no-fund >/dev/null)
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
DATA="$(mktemp -d)"
PORT=$PORT DB_PATH="$DATA/scheduler.db" "$ROOT/bench/start.sh" >"$DATA/silo.log" 2>&1 &
SILO=$!
trap 'kill $SILO 2>/dev/null; wait $SILO 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
node "$ROOT/bench/live.mjs" "http://127.0.0.1:$PORT" "${CLIENTS:-1000}" "${BOOKINGS:-50}"
