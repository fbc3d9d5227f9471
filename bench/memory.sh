#!/usr/bin/env bash
# Memory benchmark (issue 21): starts the service (Release, fresh SQLite file, bench/start.sh) on a free loopback port,
# creates INTERVIEWERS interviewers and then EVENTS interviews through the API with wrk (bench/scenarios.lua,
# post_interviewer and post_event, in rounds of ROUND seconds until the totals are reached), samples the service's
# RSS every second, lets it sit idle for SETTLE seconds, and prints the RSS over time, the peak and the settled value.
#   bench/memory.sh                                   # 100,000 + 100,000, 60 s idle
#   INTERVIEWERS=20000 EVENTS=20000 SETTLE=30 bench/memory.sh
# Extra environment for the service (GC settings, options) passes through: e.g. DOTNET_GCConserveMemory=5 bench/memory.sh
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
INTERVIEWERS="${INTERVIEWERS:-100000}"; EVENTS="${EVENTS:-100000}"; SETTLE="${SETTLE:-60}"; ROUND="${ROUND:-10}"
CONNECTIONS="${CONNECTIONS:-32}"; IDS="${IDS:-5000}"
for tool in wrk curl jq; do command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y wrk jq curl)" >&2; exit 1; }; done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export PORT="${PORT:-$(free_port)}" ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD=a-long-admin-passphrase
BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"; export DB_PATH="$WORK/scheduler.db"
"$HERE/start.sh" >"$WORK/service.log" 2>&1 &
SERVER=$!; SAMPLER=""
trap '[ -n "$SAMPLER" ] && kill $SAMPLER 2>/dev/null; kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 1 600); do curl -fs "$BASE/health/ready" >/dev/null && break; sleep 0.2; done
rss() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$SERVER/status"; }
started=$(date +%s)
(while kill -0 "$SERVER" 2>/dev/null; do echo "$(( $(date +%s) - started )) $(rss)"; sleep 1; done) > "$WORK/rss.txt" 2>/dev/null &
SAMPLER=$!
TOKEN=$(curl -sf "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .accessToken)
total() { curl -sf "$BASE/api/$1?limit=1" -H "Authorization: Bearer $TOKEN" | jq .pagination.total; }
echo "start: rss $(rss) MiB"

day0=$(( $(date +%s) / 86400 * 86400 + 40 * 86400 )); sent=0
# Rounds of wrk until the total is reached (the last round may overshoot by up to a round's worth).
fill() { # scenario resource target
  local count
  count=$(total "$2")
  while [ "$count" -lt "$3" ]; do
    # Each round's interviews start after the last round's: 30-minute steps, two threads interleaved.
    export SCENARIO="$1" TOKEN IDS_FILE="$WORK/ids.txt" RUN="$(date +%s%N)" EVENT_STRIDE=2 EVENT_BASE=$(( day0 + sent * 1800 ))
    timeout $((ROUND + 20)) wrk -t2 -c"$CONNECTIONS" -d"${ROUND}s" --timeout 5s -s "$HERE/scenarios.lua" "$BASE" | grep '^RESULT' >> "$WORK/wrk.txt"
    sent=$(( sent + 2 * $(tail -1 "$WORK/wrk.txt" | awk '{ print $6 }') + 1000 ))  # a thread may send more than half
    count=$(total "$2")
    echo "$(( $(date +%s) - started )) s: $count $2, rss $(rss) MiB ($(tail -1 "$WORK/wrk.txt" | awk '{ printf "%s/s, %s non-2xx", $3, $7 }'))"
  done
}
fill post_interviewer interviewers "$INTERVIEWERS"
for ((offset = 0; offset < IDS; offset += 100)); do
  curl -sf "$BASE/api/interviewers?limit=100&offset=$offset" -H "Authorization: Bearer $TOKEN" | jq -r '.data[].id'
done > "$WORK/ids.txt"
fill post_event events "$EVENTS"
created=$(date +%s)
echo "created: rss $(rss) MiB; idle for $SETTLE s"
sleep "$SETTLE"
echo "RSS over time (s MiB, every 5th sample):"
awk 'NR % 5 == 1' "$WORK/rss.txt" | tr '\n' ';' | sed 's/;/; /g'; echo
after=$(awk -v t=$(( created - started )) '$1 >= t' "$WORK/rss.txt")
echo "peak RSS $(( $(awk '/VmHWM/ {print $2}' /proc/$SERVER/status) / 1024 )) MiB; after the creates $(echo "$after" | head -1 | cut -d' ' -f2) MiB;" \
  "settled (last ${SETTLE} s: min / last) $(echo "$after" | awk 'NR == 1 || $2 < m { m = $2 } END { print m }') / $(rss) MiB"
