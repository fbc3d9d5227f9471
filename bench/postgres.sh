# PostgreSQL for the benchmarks, sourced by bench/run.sh (STORAGE=postgresql) and bench/pgbench.sh; not run by itself.
#
#   pg_open NAME    a fresh database NAME for one run, on
#                     - a private instance (the default), started the way tests/run.sh starts its own: Debian's server
#                       binaries (/usr/lib/postgresql/<newest>/bin), initdb into a mktemp directory, a free loopback
#                       port, -c listen_addresses=127.0.0.1, fsync=on, synchronous_commit left at its default (on),
#                       max_connections=300, trust authentication, user postgres (the server runs as user postgres
#                       through runuser when the caller is root);
#                     - or a server of your own: BENCH_POSTGRES, an Npgsql connection string
#                       ("Host=...;Port=...;Username=...;Password=..."); the database is then created on it with a
#                       name unique to the run (a Database= in BENCH_POSTGRES names the one to connect to for that).
#                   Sets PG_CONNECTION (the Npgsql connection string of the new database), PG_DATABASE, PG_BIN (client
#                   binaries), PG_SERVER (the postmaster's PID, empty for BENCH_POSTGRES) and PG* for psql and pgbench.
#   pg_close        drops the database (BENCH_POSTGRES), or stops the private instance and deletes its directory;
#                   call it from the EXIT trap, after whatever was connected has stopped. Safe to call twice.
#   pg_cpu_ticks    the private instance's CPU time so far (user + system, in clock ticks, every process of it,
#                   those that have ended included); empty for BENCH_POSTGRES.
#
# Env: BENCH_POSTGRES (see above), PG_SERVER_OPTIONS (extra server options for the private instance, e.g.
#      "-c synchronous_commit=off -c shared_buffers=512MB": for experiments, the defaults are what the numbers use).
# Needs: Debian's postgresql package (apt-get install -y postgresql) for the private instance; psql either way.

PG_DIR="" PG_DATABASE="" PG_DROP="" PG_SERVER="" PG_CONNECTION="" PG_BIN=""

pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Reads an Npgsql connection string into the libpq environment of psql and pgbench (PGHOST, PGPORT, PGUSER,
# PGPASSWORD, PGDATABASE); keys are case-insensitive, unknown ones are left to the service.
pg_env_from() {
  local pair key value
  local IFS=';'
  for pair in $1; do
    [ -n "${pair//[[:space:]]/}" ] || continue
    key="$(echo "${pair%%=*}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')"; value="${pair#*=}"
    case "$key" in
      host|server) export PGHOST="$value" ;;
      port) export PGPORT="$value" ;;
      username|userid|user) export PGUSER="$value" ;;
      password) export PGPASSWORD="$value" ;;
      database|db) export PGDATABASE="$value" ;;
    esac
  done
}

pg_open() { # database name
  local name="$1"
  if [ -n "${BENCH_POSTGRES:-}" ]; then
    command -v psql >/dev/null || { echo "bench: psql is missing (apt-get install -y postgresql-client)" >&2; return 1; }
    PG_BIN="$(dirname "$(command -v psql)")"
    unset PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE
    pg_env_from "$BENCH_POSTGRES"
    export PGDATABASE="${PGDATABASE:-postgres}"
    PG_DATABASE="${name}_$(date +%s)_$$"
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$PG_DATABASE\"" || return 1
    PG_DROP=1
    export PGDATABASE="$PG_DATABASE"
    # BENCH_POSTGRES without its Database key, then the new database.
    PG_CONNECTION="$(echo "$BENCH_POSTGRES" | tr ';' '\n' | grep -viE '^[[:space:]]*(database|db)[[:space:]]*=' | grep -v '^[[:space:]]*$' | paste -sd ';');Database=$PG_DATABASE"
    echo "# PostgreSQL: database $PG_DATABASE on ${PGHOST:-localhost}:${PGPORT:-5432} (BENCH_POSTGRES)" >&2
    return 0
  fi
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "bench: PostgreSQL's server is missing (apt-get install -y postgresql), or set BENCH_POSTGRES" >&2; return 1
  fi
  PG_DIR="$(mktemp -d -t scheduler-bench-pg.XXXXXX)"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  local port; port="$(pg_free_port)"
  # A UTF-8 locale whatever the machine's, as tests/run.sh: lower() folds the letters of every alphabet only under one.
  pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
    || { echo "bench: initdb failed" >&2; return 1; }
  # shellcheck disable=SC2086 # PG_SERVER_OPTIONS is a list of options
  pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/server.log" \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on ${PG_SERVER_OPTIONS:-}" start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_SERVER="$(head -1 "$PG_DIR/data/postmaster.pid")"
  unset PGPASSWORD PGSERVICE
  export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
  PG_DATABASE="$name"
  "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$PG_DATABASE\"" || return 1
  export PGDATABASE="$PG_DATABASE"
  PG_CONNECTION="Host=127.0.0.1;Port=$port;Username=postgres;Database=$PG_DATABASE"
  echo "# PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'): a private instance on 127.0.0.1:$port ($PG_DIR${PG_SERVER_OPTIONS:+, $PG_SERVER_OPTIONS})" >&2
}

pg_close() {
  if [ -n "$PG_DROP" ]; then
    PGDATABASE=postgres "$PG_BIN/psql" -X -q -c "DROP DATABASE IF EXISTS \"$PG_DATABASE\" WITH (FORCE)" >&2 || true
    PG_DROP=""
  fi
  if [ -n "$PG_DIR" ]; then
    pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR="" PG_SERVER=""
  fi
}

pg_cpu_ticks() {
  [ -n "$PG_SERVER" ] || return 0
  # The postmaster's own time and its reaped children's (fields 14-17), plus each live child's (14-15).
  { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$PG_SERVER/stat"
    for child in $(pgrep -P "$PG_SERVER"); do awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null; done
  } | awk '{ sum += $1 } END { print sum + 0 }'
}
