#!/usr/bin/env bash
# Memory benchmark (issue 21): starts the service (Release, fresh SQLite file, bench/start.sh) on a free loopback port,
# creates INTERVIEWERS interviewers and then EVENTS interviews through the API with wrk (bench/scenarios.lua,
# post_interviewer and post_event, in rounds of ROUND seconds until the totals are reached), samples the service's
# RSS every second, lets it sit idle for SETTLE seconds, and prints the RSS over time, the peak and the settled value.
#   bench/memory.sh                                   # 100,000 + 100,000, 60 s idle
#   INTERVIEWERS=20000 EVENTS=20000 SETTLE=30 bench/memory.sh
# Extra environment for the service (GC settings, options) passes through: e.g. DOTNET_GCConserveMemory=5 bench/memory.sh
set -euo pipefail
INTERVIEWERS="${INTERVIEWERS:-100000}"; EVENTS="${EVENTS:-100000}"; SETTLE="${SETTLE:-60}"; IDS="${IDS:-5000}"
source "$(dirname "$0")/lib.sh"
# The service's own metrics (Prometheus, on a loopback port of its own): `heap` (bench/lib.sh) reads them.
METRICS_PORT="$(free_port)"
export Telemetry__Prometheus=true Telemetry__MetricsPort="$METRICS_PORT" Telemetry__MetricsHost=127.0.0.1
start_service
(while kill -0 "$SERVER" 2>/dev/null; do echo "$(( $(date +%s) - started )) $(rss)"; sleep 1; done) > "$WORK/rss.txt" 2>/dev/null &
SAMPLER=$!
echo "start: rss $(rss) MiB; $(heap)"

fill post_interviewer interviewers "$INTERVIEWERS"
interviewer_ids "$IDS"
fill post_event events "$EVENTS"
created=$(date +%s)
echo "created: rss $(rss) MiB; $(heap); idle for $SETTLE s"
for ((t = 0; t < SETTLE; t += 30)); do sleep $(( SETTLE - t < 30 ? SETTLE - t : 30 )); echo "idle $(( t + 30 < SETTLE ? t + 30 : SETTLE )) s: rss $(rss) MiB; $(heap)"; done
echo "RSS over time (s MiB, every 5th sample):"
awk 'NR % 5 == 1' "$WORK/rss.txt" | tr '\n' ';' | sed 's/;/; /g'; echo
after=$(awk -v t=$(( created - started )) '$1 >= t' "$WORK/rss.txt")
echo "peak RSS $(( $(awk '/VmHWM/ {print $2}' /proc/$SERVER/status) / 1024 )) MiB; after the creates $(echo "$after" | head -1 | cut -d' ' -f2) MiB;" \
  "settled (last ${SETTLE} s: min / last) $(echo "$after" | awk 'NR == 1 || $2 < m { m = $2 } END { print m }') / $(rss) MiB"
