# Shared by the benchmarks that seed through the API with wrk (bench/memory.sh, bench/search.sh); sourced, not run.
# start_service: bench/start.sh (Release, fresh SQLite file in WORK) on a free loopback port, waits until ready, logs
# in as the seeded admin (TOKEN) and stops the service and deletes WORK on exit.
# fill SCENARIO RESOURCE TARGET: rounds of wrk (bench/scenarios.lua) until GET /api/RESOURCE counts TARGET rows.
# heap: resident activations and the GC's heap, from the service's metrics when the caller exported METRICS_PORT and
# Telemetry__Prometheus=true (fill then prints them each round).
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONNECTIONS="${CONNECTIONS:-32}"; ROUND="${ROUND:-10}"
for tool in wrk curl jq; do command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y wrk jq curl)" >&2; exit 1; }; done
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$SERVER/status"; }
total() { curl -sf "$BASE/api/$1?limit=1" -H "Authorization: Bearer $TOKEN" | jq .pagination.total; }
heap() {
  curl -sf "http://127.0.0.1:$METRICS_PORT/metrics" | awk '
    /^orleans_catalog_activations[{ ]/ { a += $NF }
    /^dotnet_gc_last_collection_memory_committed_size_bytes/ { c = $NF }
    /^dotnet_gc_last_collection_heap_size_bytes/ { h += $NF }
    /^dotnet_gc_last_collection_heap_fragmentation_size_bytes/ { f += $NF }
    /^dotnet_gc_collections_total.*gen2/ { g = $NF }
    END { printf "activations %d, GC heap %d MiB (free %d, committed %d), gen2 GCs %d", a, h / 1048576, f / 1048576, c / 1048576, g }'
}

start_service() {
  export PORT="${PORT:-$(free_port)}" ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD=a-long-admin-passphrase
  BASE="http://127.0.0.1:$PORT"
  WORK="$(mktemp -d)"; export DB_PATH="$WORK/scheduler.db"
  "$HERE/start.sh" >"$WORK/service.log" 2>&1 &
  SERVER=$!; SAMPLER=""
  trap '[ -n "$SAMPLER" ] && kill $SAMPLER 2>/dev/null; kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
  for _ in $(seq 1 600); do curl -fs "$BASE/health/ready" >/dev/null && break; sleep 0.2; done
  TOKEN=$(curl -sf "$BASE/api/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .accessToken)
  started=$(date +%s)
  day0=$(( $(date +%s) / 86400 * 86400 + 40 * 86400 )); sent=0
}

# The last round may overshoot by up to a round's worth.
fill() { # scenario resource target
  local count
  count=$(total "$2")
  while [ "$count" -lt "$3" ]; do
    # Each round's interviews start after the last round's: 30-minute steps, two threads interleaved.
    export SCENARIO="$1" TOKEN IDS_FILE="$WORK/ids.txt" RUN="$(date +%s%N)" EVENT_STRIDE=2 EVENT_BASE=$(( day0 + sent * 1800 ))
    timeout $((ROUND + 20)) wrk -t2 -c"$CONNECTIONS" -d"${ROUND}s" --timeout 5s -s "$HERE/scenarios.lua" "$BASE" | grep '^RESULT' >> "$WORK/wrk.txt"
    sent=$(( sent + 2 * $(tail -1 "$WORK/wrk.txt" | awk '{ print $6 }') + 1000 ))  # a thread may send more than half
    count=$(total "$2")
    echo "$(( $(date +%s) - started )) s: $count $2, rss $(rss) MiB ($(tail -1 "$WORK/wrk.txt" | awk '{ printf "%s/s, %s non-2xx", $3, $7 }'))${METRICS_PORT:+; $(heap)}"
  done
}

# The ids of the first N interviewers, for post_event.
interviewer_ids() { # n
  local offset
  for ((offset = 0; offset < $1; offset += 100)); do
    curl -sf "$BASE/api/interviewers?limit=100&offset=$offset" -H "Authorization: Bearer $TOKEN" | jq -r '.data[].id'
  done > "$WORK/ids.txt"
}
