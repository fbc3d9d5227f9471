#!/usr/bin/env bash
# Roster availability, panel and backup benchmark (issue 21): starts the service (Release, fresh SQLite file,
# bench/start.sh) on a free loopback port, runs bench/roster.py against it, prints the service's peak RSS, stops it.
#   bench/roster.sh                                  # 1,000 interviewers, 2,000 interviews, 200 samples each
#   INTERVIEWERS=300 BOOKINGS=500 SAMPLES=50 bench/roster.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export PORT="${PORT:-$(free_port)}" ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD=a-long-admin-passphrase
WORK="$(mktemp -d)"; export DB_PATH="$WORK/scheduler.db"
"$HERE/start.sh" >"$WORK/service.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null && break; sleep 0.2; done
/usr/bin/python3 "$HERE/roster.py"
echo "peak RSS $(( $(awk '/VmHWM/ {print $2}' /proc/$SERVER/status) / 1024 )) MiB"
