#!/usr/bin/env bash
# Scheduler benchmark: build Release, start the service on loopback with a fresh database, seed it, sign in,
# drive each scenario with wrk (bounded in time), print one line per scenario and the server's peak RSS.
#
#   bench/run.sh                        # 1,000 interviewers, 10,000 events, 10 s per scenario
#   INTERVIEWERS=200 EVENTS=2000 DURATION=5 bench/run.sh
#   STORAGE=postgresql bench/run.sh     # the same on PostgreSQL (a private instance, see bench/postgres.sh)
#   STORAGE=postgresql BENCH_POSTGRES="Host=db;Port=5432;Username=me;Password=..." bench/run.sh   # on a server of yours
#
# Env: INTERVIEWERS (1000) EVENTS (10000) DURATION (10 s) WARMUP (3 s) CONNECTIONS (50) THREADS (2)
#      SCENARIOS ("health get_by_id list list_filtered list_events mixed post_interviewer post_event")
#      DURABILITY (Full | Normal: Storage__Durability of the service, SQLite only)   PORT (a free one)
#      SERVICE_DIR: run the Release build in that folder as it is, without building this tree (A/B runs of two builds)
#      STORAGE (sqlite | postgresql): sqlite, the default, is a fresh SQLite file in a temporary directory.
#        postgresql starts a private PostgreSQL instance (Debian's server, initdb into a temporary directory, a free
#        loopback port, fsync=on, synchronous_commit on, max_connections=300: bench/postgres.sh), creates the database
#        "scheduler" on it and starts the service with Storage__Provider=PostgreSql and ConnectionStrings__Scheduler
#        pointing there; the instance is stopped and its directory deleted at exit. BENCH_POSTGRES (an Npgsql
#        connection string) uses a server of yours instead: a fresh database is created on it and dropped at exit.
#        PG_SERVER_OPTIONS adds server options to the private instance (experiments only).
#        With PostgreSQL, cpu_us/req and wr_kib/req are the service's process alone; the extra column db_cpu_us/req
#        is the private instance's CPU time per request (all its processes; "-" with BENCH_POSTGRES). On these two
#        cores the service, PostgreSQL and wrk share the CPU.
# Needs: dotnet, wrk, curl, jq (apt-get install -y wrk jq curl); for STORAGE=postgresql, Debian's postgresql package
# (apt-get install -y postgresql), or BENCH_POSTGRES and psql.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/.." && pwd)"
INTERVIEWERS="${INTERVIEWERS:-1000}"; EVENTS="${EVENTS:-10000}"; DURATION="${DURATION:-10}"; WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-50}"; THREADS="${THREADS:-2}"; DURABILITY="${DURABILITY:-Full}"; STORAGE="${STORAGE:-sqlite}"
case "$STORAGE" in
  sqlite|postgresql) ;;
  *) echo "bench: STORAGE is sqlite or postgresql, not '$STORAGE'" >&2; exit 1 ;;
esac
SCENARIOS="${SCENARIOS:-health get_by_id list list_filtered list_events mixed post_interviewer post_event}"
for tool in dotnet wrk curl jq; do command -v "$tool" >/dev/null || { echo "bench: $tool is missing (apt-get install -y wrk jq curl)" >&2; exit 1; }; done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT="${PORT:-$(free_port)}"; BASE="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"; SERVER=""
# The service first, so that nothing is connected when PostgreSQL stops or the database is dropped.
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  [ "$STORAGE" = postgresql ] && pg_close
  rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=bench/postgres.sh
[ "$STORAGE" = sqlite ] || . "$HERE/postgres.sh"

if [ -n "${SERVICE_DIR:-}" ]; then
  # A build made elsewhere, run as it is: an A/B run copies each variant's output folder aside and names it here (a
  # build of this tree would copy its own assemblies over any copied in, whatever their timestamps).
  [ -f "$SERVICE_DIR/Scheduler.Silo.dll" ] || { echo "bench: no Scheduler.Silo.dll in SERVICE_DIR=$SERVICE_DIR" >&2; exit 1; }
else
  echo "# building Release" >&2
  dotnet build "$ROOT/src/Scheduler.Silo" -c Release --nologo -v q >&2
  SERVICE_DIR="$ROOT/src/Scheduler.Silo/bin/Release/net10.0"
fi
if [ "$STORAGE" = postgresql ]; then
  pg_open scheduler || exit 1
  STORAGE_ENV=(Storage__Provider=PostgreSql ConnectionStrings__Scheduler="$PG_CONNECTION")
else
  STORAGE_ENV=(ConnectionStrings__Scheduler="Data Source=$WORK/scheduler.db")
fi
ADMIN_EMAIL=bench-admin@example.com; ADMIN_PASSWORD="wrk drives the interviews"
started=$(date +%s%N)
(cd "$WORK" && exec env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
  Jwt__Secret="bench-signing-key-$(date +%s%N)-0123456789abcdef" Seed__AdminEmail="$ADMIN_EMAIL" Seed__AdminPassword="$ADMIN_PASSWORD" \
  "${STORAGE_ENV[@]}" Orleans__SiloPort="$(free_port)" Orleans__GatewayPort="$(free_port)" \
  RateLimiting__Enabled=false Dashboard__Enabled=false Storage__Durability="$DURABILITY" \
  dotnet "$SERVICE_DIR/Scheduler.Silo.dll" --urls "$BASE" >"$WORK/server.log" 2>&1) &
SERVER=$!
until curl -sf "$BASE/api/health" >/dev/null; do
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.05
done
echo "startup_ms=$(( ($(date +%s%N) - started) / 1000000 )) (process start to first healthy response)"
PID=$(pgrep -P "$SERVER" -f Scheduler.Silo.dll || echo "$SERVER")
TOKEN=$(curl -sf "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .accessToken)

# BENCH_SETUP: a command run once signed in, before seeding, with BASE and TOKEN set (bench/webhooks.sh subscribes a receiver).
if [ -n "${BENCH_SETUP:-}" ]; then BASE="$BASE" TOKEN="$TOKEN" bash -c "$BENCH_SETUP" >&2; fi

echo "# seeding $INTERVIEWERS interviewers and $EVENTS events through the API" >&2
# One curl process per batch (keep-alive, 8 requests in flight), as the shared benchmark's seed script does.
send() { # config file: every request must answer 2xx
  curl -s --parallel --parallel-max 8 --max-time 30 -K "$1" | sort | uniq -c | tee "$WORK/statuses" >&2
  ! grep -qv ' 20[01]$' "$WORK/statuses" || { echo "bench: seeding failed" >&2; exit 1; }
}
request() { # path body
  printf 'next\nurl = "%s%s"\nrequest = "POST"\nheader = "Content-Type: application/json"\nheader = "Authorization: Bearer %s"\ndata = "%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
    "$BASE" "$1" "$TOKEN" "${2//\"/\\\"}"
}
skills=(csharp sql go rust react kotlin)
for ((n = 1; n <= INTERVIEWERS; n++)); do
  request /api/interviewers "{\"name\":\"Seed $n\",\"email\":\"seed-$n@example.com\",\"skills\":[\"${skills[n % 6]}\",\"${skills[(n * 7 + 3) % 6]}\"],\"status\":\"$([ $((n % 10)) = 9 ] && echo inactive || echo active)\",\"timezone\":\"UTC\"}"
done | tail -n +2 > "$WORK/interviewers.cfg"
send "$WORK/interviewers.cfg"
for ((offset = 0; offset < INTERVIEWERS; offset += 100)); do
  curl -sf "$BASE/api/interviewers?limit=100&offset=$offset&status=active" -H "Authorization: Bearer $TOKEN" | jq -r '.data[].id'
done > "$WORK/ids.txt"
active=$(wc -l < "$WORK/ids.txt")
day0=$(( $(date +%s) / 86400 * 86400 + 2 * 86400 ))
mapfile -t active_ids < "$WORK/ids.txt"
for ((k = 0; k < EVENTS; k++)); do
  start=$(( day0 + (k / active) * 3600 ))
  request /api/events "{\"interviewerId\":\"${active_ids[k % active]}\",\"title\":\"Seed\",\"candidateName\":\"C\",\"candidateEmail\":\"c$k@example.com\",\"startsAt\":\"$(date -u -d "@$start" +%Y-%m-%dT%H:%M:%SZ)\",\"endsAt\":\"$(date -u -d "@$((start + 2700))" +%Y-%m-%dT%H:%M:%SZ)\"}"
done | tail -n +2 > "$WORK/events.cfg"
[ "$EVENTS" -gt 0 ] && send "$WORK/events.cfg"
# PostgreSQL plans from statistics that autovacuum takes as a table grows: taken in the middle of the seeding, they
# describe a table a fraction of its size until the next one, and a long-running database would have them current.
if [ "$STORAGE" = postgresql ]; then "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -c "ANALYZE" >&2; fi
echo "seeded: $(curl -sf "$BASE/api/interviewers?limit=1" -H "Authorization: Bearer $TOKEN" | jq .pagination.total) interviewers, $(curl -sf "$BASE/api/events?limit=1" -H "Authorization: Bearer $TOKEN" | jq .pagination.total) events"

# The server's CPU time (user + system, in clock ticks) so far: per request, a measure that another tenant of the
# machine disturbs less than requests/s.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
# Bytes the server handed to write(2) so far (the WAL, checkpoints, logs): per request, what a write costs in I/O.
written() { awk '/^wchar/ { print $2 }' "/proc/$PID/io"; }
# With PostgreSQL, the private instance's CPU time per request as well (an extra last column).
db_ticks() { [ "$STORAGE" = sqlite ] || pg_cpu_ticks; }
db_column() { # ticks0 ticks1 requests
  [ "$STORAGE" = sqlite ] && return
  if [ -z "$1" ]; then printf ' %13s' -; else printf ' %13s' "$(( ($2 - $1) * 1000000 / TICK / ($3 > 0 ? $3 : 1) ))"; fi
}
TICK=$(getconf CLK_TCK)
printf '%-17s %10s %8s %8s %9s %7s %7s %9s %10s %10s' scenario req/s p50_ms p99_ms requests non2xx sockerr rss_mib cpu_us/req wr_kib/req
if [ "$STORAGE" = sqlite ]; then echo; else printf ' %13s\n' db_cpu_us/req; fi
EVENT_BASE=$((day0 + 30 * 86400))
for scenario in $SCENARIOS; do
  export SCENARIO="$scenario" TOKEN IDS_FILE="$WORK/ids.txt" RUN="$(date +%s%N)" EVENT_BASE=$((EVENT_BASE + 2 * 365 * 86400))
  if [ "$WARMUP" != 0 ]; then timeout $((WARMUP + 10)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout 5s -s "$HERE/scenarios.lua" "$BASE" >/dev/null; fi
  export RUN="$(date +%s%N)" EVENT_BASE=$((EVENT_BASE + 2 * 365 * 86400))
  cpu0=$(cpu_ticks); wr0=$(written); db0=$(db_ticks)
  line=$(timeout $((DURATION + 20)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s -s "$HERE/scenarios.lua" "$BASE" | grep '^RESULT')
  cpu=$(( $(cpu_ticks) - cpu0 )); wr=$(( $(written) - wr0 )); db1=$(db_ticks)
  rss=$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$PID/status")
  read -r _ name rps p50 p99 requests non2xx sockerr <<< "$line"
  printf '%-17s %10s %8s %8s %9s %7s %7s %9s %10s %10s' "$name" "$rps" "$p50" "$p99" "$requests" "$non2xx" "$sockerr" "$rss" \
    "$(( cpu * 1000000 / TICK / (requests > 0 ? requests : 1) ))" "$(awk -v w="$wr" -v n="$requests" 'BEGIN { printf "%.1f", w / 1024 / (n > 0 ? n : 1) }')"
  db_column "$db0" "$db1" "$requests"; echo
done
echo "peak_rss_mib=$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' "/proc/$PID/status") durability=$DURABILITY connections=$CONNECTIONS threads=$THREADS duration=${DURATION}s$([ "$STORAGE" = sqlite ] || echo " storage=postgresql${BENCH_POSTGRES:+ (BENCH_POSTGRES)}")"
