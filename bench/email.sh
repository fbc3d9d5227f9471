#!/usr/bin/env bash
# Email notifications under load (issue 19), against a local SMTP server (Debian's python3-aiosmtpd, which it starts):
#   1. post_event with email off, then on, alternating ROUNDS times (bench/run.sh, same seed each time);
#   2. the time to deliver 1,000 queued invitations: 500 bookings made while the worker is idle (it looks once, at start,
#      then not for an hour), the service stopped, restarted with its worker looking every 0.2 s; from the restart's
#      first healthy answer to the 1,000th message in the SMTP server's mailbox.
# Env: ROUNDS (2), DURATION (8), INTERVIEWERS (200), EVENTS (1000) for step 1.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/.." && pwd)"
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || { echo "bench: python3-aiosmtpd is missing (apt-get install -y python3-aiosmtpd)" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WORK="$(mktemp -d)"; SMTP_PORT="$(free_port)"; SMTP=""; SERVER=""
cleanup() {
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null
  [ -n "$SMTP" ] && kill "$SMTP" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox "$WORK/mail" >/dev/null 2>&1 &
SMTP=$!
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $SMTP_PORT)).close()" 2>/dev/null; do sleep 0.05; done
export Email__From=bench@example.com Email__Smtp__Host=127.0.0.1 Email__Smtp__Port="$SMTP_PORT"

for ((round = 1; round <= ${ROUNDS:-2}; round++)); do
  for email in false true; do
    line=$(Email__Enabled=$email SCENARIOS=post_event INTERVIEWERS="${INTERVIEWERS:-200}" EVENTS="${EVENTS:-1000}" DURATION="${DURATION:-8}" \
      "$HERE/run.sh" 2>/dev/null | grep '^post_event')
    echo "round $round email=$email $line"
  done
done

echo "# 1,000 queued invitations" >&2
dotnet build "$ROOT/src/Scheduler.Silo" -c Release --nologo -v q >&2
PORT="$(free_port)"; BASE="http://127.0.0.1:$PORT"
start() { # $1: the worker's poll interval in seconds
  (cd "$WORK" && exec env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Email__Enabled=true Email__PollSeconds="$1" \
    Jwt__Secret=bench-email-signing-key-0123456789abcdef Seed__AdminEmail=bench-admin@example.com Seed__AdminPassword="wrk drives the interviews" \
    ConnectionStrings__Scheduler="Data Source=$WORK/scheduler.db" Orleans__SiloPort="$(free_port)" Orleans__GatewayPort="$(free_port)" \
    RateLimiting__Enabled=false Dashboard__Enabled=false \
    dotnet "$ROOT/src/Scheduler.Silo/bin/Release/net10.0/Scheduler.Silo.dll" --urls "$BASE" >>"$WORK/server.log" 2>&1) &
  SERVER=$!
  until curl -sf "$BASE/api/health" >/dev/null; do kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }; sleep 0.05; done
}
start 3600
TOKEN=$(curl -sf "$BASE/api/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench-admin@example.com","password":"wrk drives the interviews"}' | jq -r .accessToken)
monday=$(python3 -c 'import datetime as d; t=d.date.today()+d.timedelta(days=7); t+=d.timedelta(days=(7-t.weekday())%7); print(t.isoformat())')
for ((i = 0; i < 50; i++)); do
  id=$(curl -sf "$BASE/api/interviewers" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Mail $i\",\"email\":\"mail$i@example.com\",\"timezone\":\"UTC\",\"workingHours\":null}" | jq -r .id)
  for ((h = 0; h < 10; h++)); do
    day=$(python3 -c "import datetime as d; print((d.date.fromisoformat('$monday')+d.timedelta(days=$h // 5 * 7 + $h % 5)).isoformat())")
    curl -sf -o /dev/null "$BASE/api/events" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "{\"interviewerId\":\"$id\",\"title\":\"Mail $i-$h\",\"candidateName\":\"C $i-$h\",\"candidateEmail\":\"c$i-$h@example.com\",\"startsAt\":\"${day}T10:00:00Z\",\"endsAt\":\"${day}T11:00:00Z\"}" \
      || echo "booking $i-$h refused" >&2
  done
done
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
before=$(ls "$WORK/mail/new" 2>/dev/null | wc -l)
start 0.2
t0=$(date +%s%N)
until [ "$(ls "$WORK/mail/new" 2>/dev/null | wc -l)" -ge $((before + 1000)) ]; do
  [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 120 ] || { echo "only $(( $(ls "$WORK/mail/new" | wc -l) - before )) delivered in 120 s" >&2; exit 1; }
  sleep 0.05
done
echo "delivered 1000 queued invitations in $(( ($(date +%s%N) - t0) / 1000000 )) ms (mailbox held $before before the restart)"
