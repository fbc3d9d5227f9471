#!/usr/bin/env bash
# Webhooks under load (issue 20): post_event (bench/run.sh, same seed each time), alternating ROUNDS times between
#   base  the commit before webhooks (BASE_COMMIT, exported with git archive into a temporary folder and built there),
#   none  this tree, no subscription: what every deployment without webhooks pays (one query per dispatched event),
#   one   this tree, one subscription to every type, delivered to a local receiver (Python, answers 204) on loopback.
# Env: ROUNDS (2), DURATION (8), INTERVIEWERS (200), EVENTS (1000), BASE_COMMIT (1d2ab28).
# The receiver shares the two cores with the service and wrk: "one" measures the service's cost per request with
# deliveries in flight (cpu_us/req is the service's process alone), not a receiver's.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"; ROOT="$(cd "$HERE/.." && pwd)"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
WORK="$(mktemp -d)"; RECEIVER_PORT="$(free_port)"; RECEIVER=""
cleanup() {
  [ -n "$RECEIVER" ] && kill "$RECEIVER" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir "$WORK/base" && git -C "$ROOT" archive "${BASE_COMMIT:-1d2ab28}" | tar -x -C "$WORK/base"
/usr/bin/python3 - "$RECEIVER_PORT" "$WORK/hits" >/dev/null 2>&1 <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(204)
        self.end_headers()
        with open(sys.argv[2], "a") as hits:
            hits.write(self.headers.get("webhook-id", "") + "\n")
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver).serve_forever()
PY
RECEIVER=$!
SUBSCRIBE="curl -sf \"\$BASE/api/webhooks\" -H \"Authorization: Bearer \$TOKEN\" -H 'Content-Type: application/json' -d '{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hook\"}' >/dev/null"
export SCENARIOS=post_event INTERVIEWERS="${INTERVIEWERS:-200}" EVENTS="${EVENTS:-1000}" DURATION="${DURATION:-8}" Outbound__AllowPrivateNetworks=true
for ((round = 1; round <= ${ROUNDS:-2}; round++)); do
  echo "round $round base $("$WORK/base/bench/run.sh" 2>/dev/null | grep '^post_event')"
  echo "round $round none $("$HERE/run.sh" 2>/dev/null | grep '^post_event')"
  : > "$WORK/hits"
  echo "round $round one  $(BENCH_SETUP="$SUBSCRIBE" "$HERE/run.sh" 2>/dev/null | grep '^post_event')  (receiver got $(wc -l < "$WORK/hits"), $(sort -u "$WORK/hits" | wc -l) distinct)"
done
