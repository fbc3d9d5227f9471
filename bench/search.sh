#!/usr/bin/env bash
# Search and export benchmark (issue 21): starts the service (Release, fresh SQLite file, bench/start.sh) on a free
# loopback port, creates INTERVIEWERS interviewers and EVENTS interviews through the API with wrk (candidates drawn
# from 40 first and 40 last names, five titles), then runs bench/search.py: SAMPLES searches one at a time and EXPORTS
# CSV exports of every interview and two XLSX, with the service's RSS sampled during each.
#   bench/search.sh                                   # 1,000 interviewers, 100,000 interviews
#   INTERVIEWERS=200 EVENTS=5000 SAMPLES=50 bench/search.sh
set -euo pipefail
INTERVIEWERS="${INTERVIEWERS:-1000}"; EVENTS="${EVENTS:-100000}"
source "$(dirname "$0")/lib.sh"
start_service
fill post_interviewer interviewers "$INTERVIEWERS"
interviewer_ids "$INTERVIEWERS"
fill post_event events "$EVENTS"
echo "seeded: $(total interviewers) interviewers, $(total events) interviews, rss $(rss) MiB"
SERVER_PID=$SERVER TOKEN=$TOKEN /usr/bin/python3 "$HERE/search.py"
echo "peak RSS $(( $(awk '/VmHWM/ {print $2}' /proc/$SERVER/status) / 1024 )) MiB"
