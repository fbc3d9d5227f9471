#!/usr/bin/env bash
# Calendar sync benchmark (issue 18): starts the service (Release, fresh SQLite file, bench/start.sh) on a free
# loopback port with private addresses allowed for outbound calls (the CalDAV server is on loopback), then runs
# bench/calendar.py, which starts Debian's Radicale, times the sync of a 1,000-event calendar and the availability
# of an interviewer with 200 busy blocks.
#   bench/calendar.sh
#   EVENTS=300 BLOCKS=50 SAMPLES=50 bench/calendar.sh
set -euo pipefail
export Outbound__AllowPrivateNetworks=true
source "$(dirname "$0")/lib.sh"
start_service
TOKEN=$TOKEN /usr/bin/python3 "$HERE/calendar.py"
echo "peak RSS $(( $(awk '/VmHWM/ {print $2}' /proc/$SERVER/status) / 1024 )) MiB"
