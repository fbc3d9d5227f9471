#!/usr/bin/env bash
# A reference for the service's PostgreSQL numbers (issue 23): what PostgreSQL alone does, on the same machine and the
# same kind of instance as `STORAGE=postgresql bench/run.sh`, with the shape of a create: one transaction of two inserts,
# one row into a table with a UNIQUE email index (as interviewers / users) plus one audit row (as audit_logs).
# pgbench drives it (50 clients, 2 threads, bounded in time) and the script prints one line:
#
#   pgbench two_inserts tps=<N> lat_avg_ms=<pgbench's average> p50_ms=.. p99_ms=.. transactions=.. failed=.. ...
#
# The percentiles come from pgbench's per-transaction log (--log), one line per transaction, read after the run.
# Every transaction commits (synchronous_commit on, fsync on: one WAL flush each, shared by the commits that wait
# together). Emails never collide: 'C<client_id>-<a sequence's next value>@Example.com', stored as is and lower-cased.
#
#   bench/pgbench.sh                    # 10 s on a private PostgreSQL instance (bench/postgres.sh), stopped and deleted at exit
#   DURATION=30 CLIENTS=100 bench/pgbench.sh
#   BENCH_POSTGRES="Host=db;Port=5432;Username=me;Password=..." bench/pgbench.sh   # on a server of yours (a fresh database, dropped at exit)
#
# Env: DURATION (10 s) CLIENTS (50) THREADS (2) PROTOCOL (extended: pgbench -M; simple | extended | prepared; Npgsql
#      sends unprepared extended-protocol statements unless told to prepare), BENCH_POSTGRES, PG_SERVER_OPTIONS (see
#      bench/postgres.sh), VERBOSE=1 (pgbench's own report and per-statement latencies on stderr).
# Needs: Debian's postgresql package (apt-get install -y postgresql: the server, psql and pgbench), python3.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DURATION="${DURATION:-10}"; CLIENTS="${CLIENTS:-50}"; THREADS="${THREADS:-2}"; PROTOCOL="${PROTOCOL:-extended}"
WORK="$(mktemp -d)"
# shellcheck source=bench/postgres.sh
. "$HERE/postgres.sh"
cleanup() { pg_close; rm -rf "$WORK"; }
trap cleanup EXIT

pg_open pgbench || exit 1
PGBENCH="$PG_BIN/pgbench"
[ -x "$PGBENCH" ] || PGBENCH="$(command -v pgbench)" || { echo "bench: pgbench is missing (apt-get install -y postgresql)" >&2; exit 1; }

# Text ids and timestamps, as the service's tables have them (postgresql-schema.sql), with fewer columns.
"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE SEQUENCE email_seq;
CREATE TABLE people
(
    id         text NOT NULL PRIMARY KEY,
    name       text NOT NULL,
    email      text NOT NULL,
    email_norm text NOT NULL,
    created_at text NOT NULL
);
CREATE UNIQUE INDEX ux_people_email ON people (email_norm);
CREATE TABLE audit
(
    id        text NOT NULL PRIMARY KEY,
    entity_id text NOT NULL,
    action    text NOT NULL,
    actor     text NOT NULL,
    timestamp text NOT NULL,
    changes   text NOT NULL
);
CREATE INDEX ix_audit_timestamp ON audit (timestamp, id);
SQL

# Ids are time-ordered text, as the service's (Guid version 7): here the sequence's number, zero-padded. The first insert
# hands it to the second with \gset (a number, so that every -M protocol substitutes it the same way); the casts give
# the extended protocol the parameters' types. pgbench reads any ":word" as a variable, quoted or not: hence no colon
# in the literals (the JSON has a space after each, the timestamp is to_json's ISO 8601).
cat > "$WORK/two_inserts.sql" <<'SQL'
\set n random(1, 1000000000)
BEGIN;
INSERT INTO people (id, name, email, email_norm, created_at)
  SELECT lpad(k::text, 20, '0'), 'Bench ' || :n::bigint, e, lower(e), (to_json(now() AT TIME ZONE 'UTC') #>> '{}') || 'Z'
  FROM (SELECT k, 'C' || :client_id::int || '-' || k || '@Example.com' AS e FROM (SELECT nextval('email_seq') AS k) AS q) AS s
  RETURNING id::bigint AS k
\gset
INSERT INTO audit (id, entity_id, action, actor, timestamp, changes)
  VALUES (lpad(:k::text, 20, '0'), lpad(:k::text, 20, '0'), 'created', 'bench',
          (to_json(now() AT TIME ZONE 'UTC') #>> '{}') || 'Z', '{"name": {"from": null, "to": "Bench"}}');
COMMIT;
SQL

echo "# pgbench: $CLIENTS clients, $THREADS threads, ${DURATION}s, -M $PROTOCOL" >&2
(cd "$WORK" && "$PGBENCH" -n -M "$PROTOCOL" -c "$CLIENTS" -j "$THREADS" -T "$DURATION" -r --log --log-prefix=tx \
  -f "$WORK/two_inserts.sql") > "$WORK/report.txt" 2> "$WORK/stderr.txt" \
  || { cat "$WORK/report.txt" "$WORK/stderr.txt" >&2; exit 1; }
[ "${VERBOSE:-0}" = 1 ] && cat "$WORK/report.txt" >&2

tps=$(awk '/^tps = / { printf "%.0f", $3; exit }' "$WORK/report.txt")
avg=$(awk '/^latency average = / { print $4; exit }' "$WORK/report.txt")
failed=$(awk '/^number of failed transactions: / { print $5; exit }' "$WORK/report.txt")
rows=$("$PG_BIN/psql" -X -At -c "SELECT (SELECT count(*) FROM people) || ' ' || (SELECT count(*) FROM audit)")
# The per-transaction log: "client transaction latency_us script epoch us"; a failed one has a word instead of a latency.
stats=$(cat "$WORK"/tx.* | awk '$3 ~ /^[0-9]+$/ { print $3 }' | sort -n | awk '
  { v[NR] = $1 }
  END {
    if (NR == 0) { print "- - - 0"; exit }
    p50 = v[int((NR - 1) * 0.50) + 1]; p99 = v[int((NR - 1) * 0.99) + 1]
    printf "%.2f %.2f %.2f %d\n", p50 / 1000, p99 / 1000, v[NR] / 1000, NR
  }')
read -r p50 p99 max logged <<< "$stats"
echo "pgbench two_inserts tps=$tps lat_avg_ms=$avg p50_ms=$p50 p99_ms=$p99 max_ms=$max transactions=$logged failed=${failed:-0} rows=${rows// //} clients=$CLIENTS threads=$THREADS duration=${DURATION}s protocol=$PROTOCOL"
