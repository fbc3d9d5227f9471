#!/usr/bin/env bash
# Exports and search benchmark (issue 21): starts the service (Release, fresh SQLite file, bench/start.sh) on a free
# loopback port, books TOTAL interviews through the API (wrk + bench/exports.lua, concurrent POST /api/events over
# INTERVIEWERS interviewers, each interview in its own slot), restarts the service on the same file (a cold process:
# no grain of the seeding is still active), then
#   - times GET /api/exports/interviews?format=csv of every interview, sampling the process's RSS while it runs;
#   - runs wrk over GET /api/events?q=<prefix terms> (bench/search.lua) and prints its latency distribution.
#   bench/exports.sh                      # TOTAL=100000 INTERVIEWERS=1000 SEARCH_SECONDS=15
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
TOTAL="${TOTAL:-100000}"; INTERVIEWERS="${INTERVIEWERS:-1000}"; SEARCH_SECONDS="${SEARCH_SECONDS:-15}"; THREADS=2
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export PORT="${PORT:-$(free_port)}" ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD=a-long-admin-passphrase
WORK="$(mktemp -d)"; export DB_PATH="$WORK/scheduler.db"
URL="http://127.0.0.1:$PORT"
SERVER=
stop() { [ -z "$SERVER" ] || { kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null || true; }; SERVER=; }
trap 'stop; rm -rf "$WORK"' EXIT
start() {
  "$HERE/start.sh" >>"$WORK/service.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 600); do curl -fs "$URL/health/ready" >/dev/null && return; sleep 0.2; done
  echo "the service did not start" >&2; tail -20 "$WORK/service.log" >&2; exit 1
}
token() {
  curl -fs "$URL/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | python3 -c 'import sys, json; print(json.load(sys.stdin)["accessToken"])'
}
rss() { awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$SERVER/status"; }

start
TOKEN="$(token)"
started=$(date +%s.%N)
for n in $(seq 1 "$INTERVIEWERS"); do
  echo "{\"name\":\"Bench $n\",\"email\":\"bench$n@example.com\",\"timezone\":\"UTC\",\"skills\":[\"bench\"]}"
done | python3 -c '
import sys, json, http.client
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=60)
for line in sys.stdin:
    conn.request("POST", "/api/interviewers", line, {"Content-Type": "application/json", "Authorization": "Bearer " + sys.argv[2]})
    response = conn.getresponse(); body = response.read()
    assert response.status == 201, (response.status, body)
    print(json.loads(body)["id"])
' "$PORT" "$TOKEN" >"$WORK/ids"
BASE=$(( ($(date +%s) / 86400 + 30) * 86400 ))
TOTAL="$TOTAL" THREADS="$THREADS" IDS_FILE="$WORK/ids" TOKEN="$TOKEN" BASE="$BASE" \
  wrk -t"$THREADS" -c32 -d600s -s "$HERE/exports.lua" "$URL" >"$WORK/seed.txt"
seeded=$(curl -fs "$URL/api/events?limit=1" -H "Authorization: Bearer $TOKEN" | python3 -c 'import sys, json; print(json.load(sys.stdin)["pagination"]["total"])')
printf 'seeded %s interviewers and %s interviews in %.0f s (%s)\n' "$INTERVIEWERS" "$seeded" "$(echo "$(date +%s.%N) - $started" | bc)" \
  "$(grep -E 'Requests/sec|Non-2xx' "$WORK/seed.txt" | tr -s ' ' | tr '\n' ';')"

stop; start; TOKEN="$(token)"
# One small export first, so the measurement does not count the first use's JIT and the PDF/MiniExcel type loading.
curl -fs "$URL/api/exports/interviews?format=csv&status=cancelled" -H "Authorization: Bearer $TOKEN" -o /dev/null
before=$(rss); peak=$before
( while sleep 0.05; do rss; done ) >"$WORK/rss" & SAMPLER=$!
t0=$(date +%s.%N)
curl -fs "$URL/api/exports/interviews?format=csv" -H "Authorization: Bearer $TOKEN" -D "$WORK/headers" -o "$WORK/export.csv"
t1=$(date +%s.%N)
kill $SAMPLER; wait $SAMPLER 2>/dev/null || true
peak=$(sort -n "$WORK/rss" | tail -1); after=$(rss)
rows=$(( $(python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline=""))))' "$WORK/export.csv") - 1 ))
printf 'export csv: %s rows, %s MiB in %.2f s; RSS before %s MiB, peak during %s MiB (+%s), after %s MiB; %s' "$rows" \
  "$(( $(stat -c %s "$WORK/export.csv") / 1048576 ))" "$(echo "$t1 - $t0" | bc)" "$before" "$peak" "$(( peak - before ))" "$after" \
  "$(grep -i '^content-disposition' "$WORK/headers")"
echo
t0=$(date +%s.%N)
curl -fs "$URL/api/exports/interviews?format=xlsx" -H "Authorization: Bearer $TOKEN" -o "$WORK/export.xlsx"
printf 'export xlsx: %s MiB in %.2f s; RSS after %s MiB\n' "$(( $(stat -c %s "$WORK/export.xlsx") / 1048576 ))" "$(echo "$(date +%s.%N) - $t0" | bc)" "$(rss)"

TOKEN="$TOKEN" wrk -t2 -c8 -d"${SEARCH_SECONDS}s" --latency -s "$HERE/search.lua" "$URL" | sed -n '/Latency Distribution/,/Requests\/sec/p'
echo "RSS at the end $(rss) MiB"
