#!/usr/bin/env bash
# The test command: makes sure what the tests need is there, then runs every test project.
#   - PostgreSQL (Debian's server, installed if missing): a private instance on a free loopback port, stopped and
#     deleted afterwards; SCHEDULER_TEST_POSTGRES names it (set it yourself to use a server of your own).
#   - Debian's docker-compose, which the deployment test uses to validate docker-compose.yml.
#   - Debian's python3-aiosmtpd: the real SMTP server the email notification tests send to.
#   - Debian's nodejs and npm, with which a test lints the OpenAPI document and compiles a typed client of it.
# Arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Booking").
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() { # packages, from Debian's archive
  export DEBIAN_FRONTEND=noninteractive
  [ -n "$apt_updated" ] || { as_root apt-get update -qq && apt_updated=1; }
  as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ]; then
    pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap cleanup EXIT

command -v docker-compose >/dev/null || apt_install docker-compose || echo "could not install docker-compose" >&2
# The email tests' SMTP server: Debian's aiosmtpd, run by Debian's own /usr/bin/python3.
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || apt_install python3-aiosmtpd || echo "could not install python3-aiosmtpd" >&2
# The calendar feed tests' independent iCalendar parser: Debian's python3-icalendar, run by /usr/bin/python3.
/usr/bin/python3 -c 'import icalendar' 2>/dev/null || apt_install python3-icalendar || echo "could not install python3-icalendar" >&2
# promtool (Debian's prometheus) lints the service's /metrics exposition in an end-to-end test.
command -v promtool >/dev/null || apt_install prometheus || echo "could not install prometheus (promtool)" >&2
# Node.js and npm for the OpenAPI checks (tests/contract-ts: Redocly, Spectral, openapi-typescript, tsc), which a test runs.
command -v npm >/dev/null || apt_install nodejs npm || echo "could not install Node.js and npm" >&2
# The calendar-sync tests' CalDAV server: Debian's Radicale, run by /usr/bin/python3 with plain htpasswd auth.
/usr/bin/python3 -c 'import radicale' 2>/dev/null || apt_install radicale || echo "could not install radicale" >&2
# The export tests' independent readers: Debian's python3-openpyxl (XLSX, run by /usr/bin/python3) and poppler's pdftotext.
/usr/bin/python3 -c 'import openpyxl' 2>/dev/null || apt_install python3-openpyxl || echo "could not install python3-openpyxl" >&2
command -v pdftotext >/dev/null || apt_install poppler-utils || echo "could not install poppler-utils (pdftotext)" >&2

if [ -z "${SCHEDULER_TEST_POSTGRES:-}" ]; then
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "installing PostgreSQL from Debian's packages"
    apt_install postgresql || { echo "could not install PostgreSQL" >&2; exit 1; }
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
  pg_dir="$(mktemp -d -t scheduler-test-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  pg_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  # A UTF-8 locale whatever the machine's: lower() (name search) folds the letters of every alphabet only under one.
  pg_as "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null || { echo "initdb failed" >&2; exit 1; }
  pg_as "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/server.log" \
    -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on" start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; exit 1; }
  export SCHEDULER_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres"
  echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port for the tests"
fi

dotnet test Scheduler.sln "$@"
