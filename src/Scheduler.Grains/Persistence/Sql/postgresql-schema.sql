-- Scheduler's PostgreSQL schema, part 2: the read model (part 1, the Orleans tables, is postgresql-orleans.sql).
-- The same tables, columns and indexes as the read-model part of sqlite-schema.sql, so that one text of SQL
-- serves both databases.
--
-- Idempotent: run at every process start, in the same transaction as part 1 and under the same
-- pg_advisory_xact_lock, so concurrent starts do not race on the DDL.
--
-- Translation rules:
--  * timestamps stay text: ISO 8601 UTC of fixed width (SqlTime), so they compare and sort as text;
--  * integers the C# code reads with GetInt64 (version, storage_version, deleted, disabled, entity_version)
--    are bigint, those it reads with GetInt32 (max_per_day, buffer_minutes) integer;
--  * SQLite's "name COLLATE NOCASE" index expression is lower(name), which is what
--    PostgreSqlDatabase.CaseInsensitive puts in ORDER BY, so the index serves the sort;
--  * text columns keep the database's default collation.

-- Rows written by the grains after each durable change, read by the query grains. storage_version is the
-- grain-storage Version the row was projected from (the start-up sweep re-projects any grain whose storage row
-- is ahead of its read-model row).
CREATE TABLE IF NOT EXISTS interviewers
(
    id              text    NOT NULL PRIMARY KEY,
    name            text    NOT NULL,
    email           text    NOT NULL,
    email_norm      text    NOT NULL,
    skills          text    NOT NULL, -- JSON array, as entered
    status          text    NOT NULL,
    timezone        text    NOT NULL,
    created_at      text    NOT NULL,
    updated_at      text    NOT NULL,
    version         bigint  NOT NULL,
    storage_version bigint  NOT NULL,
    deleted         bigint  NOT NULL DEFAULT 0,
    working_hours   text    NULL,     -- JSON as the API shows it, null = no restriction
    max_per_day     integer NULL,
    buffer_minutes  integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_interviewers_name ON interviewers (lower(name), id) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_interviewers_email ON interviewers (email_norm, id) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_interviewers_created ON interviewers (created_at, id) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_interviewers_updated ON interviewers (updated_at, id) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_interviewers_status ON interviewers (status, lower(name)) WHERE deleted = 0;

CREATE TABLE IF NOT EXISTS interviewer_skills
(
    skill          text NOT NULL, -- lower-cased
    interviewer_id text NOT NULL,
    PRIMARY KEY (skill, interviewer_id)
);
CREATE INDEX IF NOT EXISTS ix_interviewer_skills_interviewer ON interviewer_skills (interviewer_id);
-- The interviewer's status (rewritten with it), so that a skill filter's total is counted from one index. Added, and
-- filled in for the rows written before it, once: ALTER TABLE locks the table against writes, and other silos may be writing.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                   WHERE table_schema = current_schema() AND table_name = 'interviewer_skills' AND column_name = 'status') THEN
        ALTER TABLE interviewer_skills ADD COLUMN status text NOT NULL DEFAULT '';
        UPDATE interviewer_skills s SET status = i.status FROM interviewers i WHERE i.id = s.interviewer_id;
    END IF;
END
$$;
CREATE INDEX IF NOT EXISTS ix_interviewer_skills_status ON interviewer_skills (skill, status);

CREATE TABLE IF NOT EXISTS interview_events
(
    id                   text   NOT NULL PRIMARY KEY,
    interviewer_id       text   NOT NULL,
    title                text   NOT NULL,
    candidate_name       text   NOT NULL,
    candidate_email      text   NOT NULL,
    candidate_email_norm text   NOT NULL,
    starts_at            text   NOT NULL,
    ends_at              text   NOT NULL,
    timezone             text   NOT NULL,
    location             text   NULL,
    meeting_url          text   NULL,
    notes                text   NULL,
    status               text   NOT NULL,
    cancellation_reason  text   NULL,
    created_by           text   NOT NULL,
    created_at           text   NOT NULL,
    updated_at           text   NOT NULL,
    version              bigint NOT NULL,
    storage_version      bigint NOT NULL,
    deleted              bigint NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_events_interviewer ON interview_events (interviewer_id, starts_at) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_events_starts ON interview_events (starts_at, id) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_events_status ON interview_events (status, starts_at) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_events_candidate ON interview_events (candidate_email_norm, starts_at) WHERE deleted = 0;

CREATE TABLE IF NOT EXISTS users
(
    id              text   NOT NULL PRIMARY KEY,
    email           text   NOT NULL,
    email_norm      text   NOT NULL,
    name            text   NOT NULL,
    roles           text   NOT NULL, -- JSON array
    interviewer_id  text   NULL,
    disabled        bigint NOT NULL,
    created_at      text   NOT NULL,
    updated_at      text   NOT NULL,
    version         bigint NOT NULL,
    storage_version bigint NOT NULL,
    deleted         bigint NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_users_email ON users (email_norm, id) WHERE deleted = 0;

CREATE TABLE IF NOT EXISTS audit_logs
(
    id             text   NOT NULL PRIMARY KEY,
    entity_type    text   NOT NULL,
    entity_id      text   NOT NULL,
    entity_version bigint NOT NULL,
    action         text   NOT NULL,
    actor_id       text   NOT NULL,
    actor          text   NOT NULL,
    timestamp      text   NOT NULL,
    changes        text   NOT NULL, -- JSON object: field -> {from, to}
    UNIQUE (entity_type, entity_id, entity_version)
);
CREATE INDEX IF NOT EXISTS ix_audit_logs_timestamp ON audit_logs (timestamp, id);
CREATE INDEX IF NOT EXISTS ix_audit_logs_actor ON audit_logs (actor, timestamp);
CREATE INDEX IF NOT EXISTS ix_audit_logs_action ON audit_logs (action, timestamp);

-- The schema version this database carries (SQLite keeps it in PRAGMA user_version). One row, id 1; the caller
-- upserts the current version after this script, and readiness checks it.
CREATE TABLE IF NOT EXISTS scheduler_schema
(
    id      integer NOT NULL PRIMARY KEY CHECK (id = 1),
    version integer NOT NULL
);

-- ---------------------------------------------------------------------------------------------
-- Uniqueness claims: the email each interviewer and each user holds, unique per kind of owner. A change
-- writes its claim in the transaction of its grain state, so the unique index decides every race.
-- Filled from the read model once, when a store from before schema version 5 (which kept them in email
-- index grains) first meets this table.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS email_claims
(
    kind       TEXT NOT NULL, -- interviewer | user
    owner_id   TEXT NOT NULL,
    email_norm TEXT NOT NULL,
    PRIMARY KEY (kind, owner_id),
    UNIQUE (kind, email_norm)
);
INSERT INTO email_claims (kind, owner_id, email_norm)
SELECT 'interviewer', id, email_norm FROM interviewers
 WHERE deleted = 0 AND NOT EXISTS (SELECT 1 FROM email_claims WHERE kind = 'interviewer')
ON CONFLICT DO NOTHING;
INSERT INTO email_claims (kind, owner_id, email_norm)
SELECT 'user', id, email_norm FROM users
 WHERE deleted = 0 AND NOT EXISTS (SELECT 1 FROM email_claims WHERE kind = 'user')
ON CONFLICT DO NOTHING;

-- Grains with a change begun and not finished (a booking whose calendar change is not yet carried out):
-- marked in the transaction of the change's first write, cleared in that of its last. The start-up
-- recovery activates each, and the activation finishes or undoes the change.
CREATE TABLE IF NOT EXISTS pending_changes
(
    grain_class TEXT NOT NULL,
    grain_id    TEXT NOT NULL,
    PRIMARY KEY (grain_class, grain_id)
);

-- ---------------------------------------------------------------------------------------------
-- Live rows per status, for the total of a list filtered by status alone (or not at all): a sum over a
-- few rows instead of a count over the table (on PostgreSQL a count visits every live row's heap tuple).
-- SQLite keeps one row per status; here concurrent writers would queue on that row's lock until each
-- commits, so every server process adds to a shard of its own (its pid modulo 64), and a total is the sum
-- of the shards. Two processes sharing a shard only wait for each other (or, rarely, deadlock and retry).
-- PostgreSqlDatabase.EnsureSchema recounts them at every start, which also folds the shards into one.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS interviewer_totals
(
    status text    NOT NULL,
    shard  integer NOT NULL,
    n      bigint  NOT NULL,
    PRIMARY KEY (status, shard)
);
CREATE TABLE IF NOT EXISTS event_totals
(
    status text    NOT NULL,
    shard  integer NOT NULL,
    n      bigint  NOT NULL,
    PRIMARY KEY (status, shard)
);
CREATE OR REPLACE FUNCTION scheduler_count_interviewers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    this_shard integer := pg_backend_pid() % 64;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.deleted = NEW.deleted THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.deleted = 0 THEN
        INSERT INTO interviewer_totals AS t (status, shard, n) VALUES (OLD.status, this_shard, -1)
        ON CONFLICT (status, shard) DO UPDATE SET n = t.n - 1;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.deleted = 0 THEN
        INSERT INTO interviewer_totals AS t (status, shard, n) VALUES (NEW.status, this_shard, 1)
        ON CONFLICT (status, shard) DO UPDATE SET n = t.n + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE OR REPLACE FUNCTION scheduler_count_events() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    this_shard integer := pg_backend_pid() % 64;
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.deleted = NEW.deleted THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.deleted = 0 THEN
        INSERT INTO event_totals AS t (status, shard, n) VALUES (OLD.status, this_shard, -1)
        ON CONFLICT (status, shard) DO UPDATE SET n = t.n - 1;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.deleted = 0 THEN
        INSERT INTO event_totals AS t (status, shard, n) VALUES (NEW.status, this_shard, 1)
        ON CONFLICT (status, shard) DO UPDATE SET n = t.n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- Created once: (re)creating a trigger locks its table against writes, and other silos may be writing.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'interviewer_totals' AND tgrelid = 'interviewers'::regclass) THEN
        CREATE TRIGGER interviewer_totals AFTER INSERT OR DELETE OR UPDATE OF status, deleted ON interviewers
            FOR EACH ROW EXECUTE FUNCTION scheduler_count_interviewers();
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'event_totals' AND tgrelid = 'interview_events'::regclass) THEN
        CREATE TRIGGER event_totals AFTER INSERT OR DELETE OR UPDATE OF status, deleted ON interview_events
            FOR EACH ROW EXECUTE FUNCTION scheduler_count_events();
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Domain events (the outbox): what changed, written in the transaction of the change itself (the audit row's
-- twin: entity, version, action, changes, and the entity as it stood). The dispatcher hands each row to its sinks
-- and marks it dispatched in the same transaction as the sinks' own rows, so a crash at any point delivers later.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS domain_events
(
    seq            bigint NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity_type    text NOT NULL,
    entity_id      text NOT NULL,
    entity_version bigint NOT NULL,
    action         text NOT NULL,
    at             text NOT NULL,
    changes        text NOT NULL, -- JSON object: field -> {from, to}
    data           text NULL,     -- JSON: the entity after the change
    trace_parent   text NULL,     -- W3C traceparent of the change's request
    dispatched     bigint NOT NULL DEFAULT 0,
    UNIQUE (entity_type, entity_id, entity_version)
);
CREATE INDEX IF NOT EXISTS ix_domain_events_pending ON domain_events (seq) WHERE dispatched = 0;

-- Leases: which silo runs a cluster-wide worker (the outbox dispatcher and the email sender) right now.
CREATE TABLE IF NOT EXISTS worker_leases
(
    name  text NOT NULL PRIMARY KEY,
    owner text NOT NULL,
    until text NOT NULL
);

-- Email notifications: one row per message (invitation, update, cancellation, reminder) and recipient, keyed so
-- that dispatching a domain event twice queues nothing twice. Reminders wait for their due time here (one index
-- read by a timer, however many there are).
CREATE TABLE IF NOT EXISTS notifications
(
    id              text NOT NULL PRIMARY KEY,
    key             text NOT NULL UNIQUE,  -- event, kind, sequence, recipient role (and offset)
    event_id        text NOT NULL,
    kind            text NOT NULL,         -- invitation | update | cancellation | reminder
    recipient_role  text NOT NULL,         -- candidate | interviewer
    recipient       text NOT NULL,
    sequence        bigint NOT NULL,
    status          text NOT NULL,         -- queued | sent | failed | dead | skipped
    attempts        bigint NOT NULL DEFAULT 0,
    due_at          text NOT NULL,
    next_attempt_at text NOT NULL,
    last_error      text NULL,
    message_id      text NOT NULL,
    data            text NOT NULL,         -- JSON: the interview as of the change, the recipient's time zone
    trace_parent    text NULL,
    created_at      text NOT NULL,
    sent_at         text NULL
);
CREATE INDEX IF NOT EXISTS ix_notifications_due ON notifications (next_attempt_at) WHERE status IN ('queued', 'failed');
CREATE INDEX IF NOT EXISTS ix_notifications_event ON notifications (event_id, created_at);
CREATE INDEX IF NOT EXISTS ix_notifications_created ON notifications (created_at, id);

-- Linked external calendars (issue 18): what to fetch, the credential encrypted with Data Protection, and how the
-- last syncs went. The sync worker picks those whose next_sync_at has come.
CREATE TABLE IF NOT EXISTS linked_calendars
(
    id              text NOT NULL PRIMARY KEY,
    interviewer_id  text NOT NULL,
    kind            text NOT NULL,         -- ics | caldav
    url             text NOT NULL,
    name            text NULL,
    auth            text NOT NULL,         -- none | basic | bearer
    credential      text NULL,             -- protected JSON {username, secret}; never returned or logged
    created_at      text NOT NULL,
    last_synced_at  text NULL,
    last_attempt_at text NULL,
    last_error      text NULL,
    busy_count      bigint NOT NULL DEFAULT 0,
    failures        bigint NOT NULL DEFAULT 0,
    version_tag     text NULL,             -- ETag (ics) or ctag/sync-token (CalDAV) of the last fetch that was read
    next_sync_at    text NOT NULL,
    write_back      integer NOT NULL DEFAULT 0, -- CalDAV only: interviews are written into it (calendar_pushes)
    last_pushed_at  text NULL,
    last_push_error text NULL
);
CREATE INDEX IF NOT EXISTS ix_linked_calendars_interviewer ON linked_calendars (interviewer_id, created_at);
CREATE INDEX IF NOT EXISTS ix_linked_calendars_due ON linked_calendars (next_sync_at);

-- ASP.NET Core Data Protection key ring, shared by every silo (credentials of linked calendars).
CREATE TABLE IF NOT EXISTS data_protection_keys
(
    name text NOT NULL PRIMARY KEY,
    xml  text NOT NULL
);

-- Webhook subscriptions (admins): where to POST which domain events, signed with the subscription's secret
-- (Standard Webhooks). The secret is needed in the clear to sign, and never leaves the server after creation.
CREATE TABLE IF NOT EXISTS webhooks
(
    id                    text NOT NULL PRIMARY KEY,
    url                   text NOT NULL,
    event_types           text NOT NULL,          -- JSON array of types; empty: every type
    description           text NULL,
    secret                text NOT NULL,          -- Data Protection ciphertext of whsec_<base64> (plain in rows from before)
    previous_secret       text NULL,              -- also signs until previous_secret_until (after a rotation)
    previous_secret_until text NULL,
    enabled               integer NOT NULL DEFAULT 1,
    failing_since         text NULL,              -- the first failed attempt since the last success
    disabled_at           text NULL,
    version               bigint NOT NULL,
    created_at            text NOT NULL,
    updated_at            text NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_webhooks_created ON webhooks (created_at, id);

-- One row per (subscription, domain event): queued by the outbox dispatcher in the transaction that marks the event
-- dispatched, sent until a 2xx or for 24 h. The id is the webhook-id header: the same on every attempt.
CREATE TABLE IF NOT EXISTS webhook_deliveries
(
    id               text NOT NULL PRIMARY KEY,
    webhook_id       text NOT NULL,
    event_seq        bigint NULL,                 -- the domain event; null for a ping
    event_type       text NOT NULL,
    entity_id        text NULL,
    entity_version   bigint NULL,
    payload          text NOT NULL,
    status           text NOT NULL,               -- pending | delivered | failed (retried) | dead (given up)
    attempts         integer NOT NULL DEFAULT 0,
    retrying_since   text NOT NULL,               -- the 24 h of retries count from here (creation or redelivery)
    next_attempt_at  text NOT NULL,
    last_attempt_at  text NULL,
    last_status_code integer NULL,
    last_error       text NULL,
    trace_parent     text NULL,
    created_at       text NOT NULL,
    delivered_at     text NULL,
    UNIQUE (webhook_id, event_seq)
);
CREATE INDEX IF NOT EXISTS ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status IN ('pending', 'failed');
CREATE INDEX IF NOT EXISTS ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);

-- Every attempt of a delivery: when, the answer's status code (null: no answer), the error, how long it took.
CREATE TABLE IF NOT EXISTS webhook_attempts
(
    delivery_id text NOT NULL,
    attempt     integer NOT NULL,
    at          text NOT NULL,
    status_code integer NULL,
    error       text NULL,
    duration_ms integer NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
-- Full-text search (the lists' `q`): a tsvector column per searched table, generated from the row (so it is written
-- with it, in its transaction, and filled for every existing row when the column is first added), under a GIN index.
-- The 'simple' configuration (no stemming, no stop words: names and emails are not prose) over text that unaccent
-- and lower fold, with every run of other characters a space ("ken.thompson@example.com" -> ken thompson example
-- com), so a query matches words by prefix ("gra" -> Grace). unaccent is a trusted extension: the database's owner
-- may create it. The functions name its schema, so a restore (which empties search_path) can compute the column.
-- scheduler_search_text is PL/pgSQL, not SQL: unaccent is only STABLE, so a SQL body is never inlined, and a generated
-- column's SQL function is parsed and planned again for every INSERT or UPDATE statement (~50 µs a call, measured);
-- PL/pgSQL keeps its plan for the session (~2 µs).
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
CREATE OR REPLACE FUNCTION scheduler_search_text(value text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
    AS $$ BEGIN RETURN regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, value)), '[^[:alnum:]]+', ' ', 'g'); END $$;
-- The query of a search text: every word, each as a prefix (null when it has none, which matches nothing).
CREATE OR REPLACE FUNCTION scheduler_search_query(value text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
    AS $$ SELECT to_tsquery('simple', string_agg(word || ':*', ' & '))
            FROM regexp_split_to_table(public.scheduler_search_text(value), ' ') AS word WHERE word <> '' $$;
ALTER TABLE interviewers ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(public.scheduler_search_text(name), '')), 'A')
    || setweight(to_tsvector('simple', coalesce(public.scheduler_search_text(email), '')), 'B')) STORED;
CREATE INDEX IF NOT EXISTS ix_interviewers_search ON interviewers USING gin (search) WHERE deleted = 0;
ALTER TABLE interview_events ADD COLUMN IF NOT EXISTS search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(public.scheduler_search_text(title), '')), 'A')
    || setweight(to_tsvector('simple', coalesce(public.scheduler_search_text(candidate_name), '')), 'B')
    || setweight(to_tsvector('simple', coalesce(public.scheduler_search_text(candidate_email), '')), 'C')
    || setweight(to_tsvector('simple', coalesce(public.scheduler_search_text(notes), '')), 'D')) STORED;
CREATE INDEX IF NOT EXISTS ix_events_search ON interview_events USING gin (search) WHERE deleted = 0;

-- Calendar feeds: the SHA-256 of each interviewer's current feed token (the token is stored nowhere), written with
-- the interviewer's grain state; a rotation replaces it, so the old URL finds nothing.
CREATE TABLE IF NOT EXISTS calendar_feeds
(
    interviewer_id text NOT NULL PRIMARY KEY,
    token_hash     text NOT NULL UNIQUE
);

-- Write-back (issue 18 section 3): what each write-back calendar should hold of each interview, queued by the outbox
-- sink in the transaction that dispatches the domain event. One row per (calendar, interview): a newer version
-- replaces the operation, so a crash before or after the request only repeats an idempotent PUT or DELETE of the
-- same resource. etag is the resource's entity tag on the calendar server (If-Match of the next update).
CREATE TABLE IF NOT EXISTS calendar_pushes
(
    calendar_id     text NOT NULL,
    interview_id    text NOT NULL,
    op              text NOT NULL,          -- put | delete
    version         bigint NOT NULL,          -- the interview's version the operation is for
    data            text NOT NULL,          -- the interview (JSON) as of that version
    status          text NOT NULL,          -- pending | done
    etag            text NULL,
    attempts        bigint NOT NULL DEFAULT 0,
    next_attempt_at text NOT NULL,
    last_error      text NULL,
    updated_at      text NOT NULL,
    PRIMARY KEY (calendar_id, interview_id)
);
CREATE INDEX IF NOT EXISTS ix_calendar_pushes_due ON calendar_pushes (status, next_attempt_at);

-- A grain state write in a batch that commits with its own round trip (PipelinedBatch): the change's rows went with
-- it, bound to the version it should give, so the check is made here, where a write that lost its race (no version,
-- or another) fails the whole transaction before its commit.
CREATE OR REPLACE FUNCTION scheduler_expect_version(written integer, expected integer) RETURNS integer
    LANGUAGE plpgsql AS $$
BEGIN
    IF written IS DISTINCT FROM expected THEN
        RAISE EXCEPTION 'the grain state write gave version %, not %', coalesce(written::text, 'none'), expected
            USING ERRCODE = 'SV001';
    END IF;
    RETURN written;
END $$;
