-- Scheduler's SQLite schema: Orleans grain storage + the read model, in one file.
-- Idempotent: run at every start before the silo's storage initialises.

PRAGMA journal_mode = WAL;

-- ---------------------------------------------------------------------------------------------
-- Orleans ADO.NET grain storage. The provider reads its query texts from OrleansQuery at start-up
-- and binds the parameters @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
-- @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary; it reads the columns
-- PayloadBinary + Version (read) and NewGrainStateVersion (write, clear).
-- GrainTypeString is the state name given in [PersistentState]; GrainIdExtensionString holds a
-- string grain key (stored as '' when null, so the primary key can match it).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

-- A rowid table, so a new grain's row is appended at the end of the file's B-tree, with a unique index on the key
-- that orders it by state name, then grain key: a grain created with a time-ordered id (every entity here) lands at
-- the end of its state's range there too. (Keyed by the hash first, each create dirtied random leaf pages, which
-- every commit appends to the WAL and every checkpoint writes back: 65 KiB written per interviewer created, against
-- 38 KiB now.) SqliteDatabase.EnsureSchema rebuilds the WITHOUT ROWID table of files made before schema version 4.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INTEGER NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdExtensionString TEXT    NOT NULL,
    ServiceId              TEXT    NOT NULL,
    PayloadBinary          BLOB    NULL,
    ModifiedOn             TEXT    NOT NULL,
    Version                INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ux_OrleansStorage
    ON OrleansStorage (GrainTypeString, GrainIdExtensionString, GrainIdN0, GrainIdN1, GrainTypeHash, GrainIdHash, ServiceId);

-- Optimistic concurrency in one statement (one write lock, one commit): a new grain (no version) inserts
-- version 1; a known grain updates only the version it read. No row returned tells Orleans the write lost
-- a race (InconsistentStateException): a version given for a row that is not there, none given for a row
-- that is, or a stale one. The provider opens its own connections, so the durability setting (which is
-- per connection, and returns no row) travels with the query; {{synchronous}} is filled in at start-up.
INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', '
PRAGMA synchronous = {{synchronous}};
INSERT INTO OrleansStorage (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
                            GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
       ifnull(@GrainIdExtensionString, ''''), @ServiceId, @PayloadBinary,
       strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''), 1
 WHERE @GrainStateVersion IS NULL
    OR EXISTS (SELECT 1 FROM OrleansStorage
                WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
                  AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
                  AND GrainTypeString = @GrainTypeString
                  AND GrainIdExtensionString = ifnull(@GrainIdExtensionString, '''')
                  AND ServiceId = @ServiceId)
ON CONFLICT (GrainTypeString, GrainIdExtensionString, GrainIdN0, GrainIdN1, GrainTypeHash, GrainIdHash, ServiceId)
DO UPDATE SET PayloadBinary = excluded.PayloadBinary,
              ModifiedOn = excluded.ModifiedOn,
              Version = OrleansStorage.Version + 1
        WHERE OrleansStorage.Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', '
SELECT PayloadBinary, Version
  FROM OrleansStorage
 WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
   AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
   AND GrainTypeString = @GrainTypeString
   AND GrainIdExtensionString = ifnull(@GrainIdExtensionString, '''')
   AND ServiceId = @ServiceId;
');

INSERT OR REPLACE INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', '
PRAGMA synchronous = {{synchronous}};
UPDATE OrleansStorage
   SET PayloadBinary = NULL,
       ModifiedOn = strftime(''%Y-%m-%dT%H:%M:%fZ'', ''now''),
       Version = Version + 1
 WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
   AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
   AND GrainTypeString = @GrainTypeString
   AND GrainIdExtensionString = ifnull(@GrainIdExtensionString, '''')
   AND ServiceId = @ServiceId
   AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
');

-- ---------------------------------------------------------------------------------------------
-- Read model: rows written by the grains after each durable change, read by the query grains.
-- storage_version is the grain-storage Version the row was projected from (the start-up sweep
-- re-projects any grain whose storage row is ahead of its read-model row).
-- Timestamps are ISO 8601 UTC text of fixed width, so they sort as text.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS interviewers
(
    id              TEXT    NOT NULL PRIMARY KEY,
    name            TEXT    NOT NULL,
    email           TEXT    NOT NULL,
    email_norm      TEXT    NOT NULL,
    skills          TEXT    NOT NULL, -- JSON array, as entered
    status          TEXT    NOT NULL,
    timezone        TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    storage_version INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0,
    working_hours   TEXT    NULL,     -- JSON as the API shows it, null = no restriction
    max_per_day     INTEGER NULL,
    buffer_minutes  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_interviewers_name ON interviewers (name COLLATE NOCASE, id) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_interviewers_email ON interviewers (email_norm, id) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_interviewers_created ON interviewers (created_at, id) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_interviewers_updated ON interviewers (updated_at, id) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_interviewers_status ON interviewers (status, name COLLATE NOCASE) WHERE deleted = 0;

-- How many live interviewers each status has, kept by triggers in the transaction that changes a row, so that an
-- unfiltered (or status-only) list answers its total without counting every row: that count grew with the roster
-- (about 1 ms a list at 80,000 interviewers). SqliteDatabase.EnsureSchema recounts it at every start.
CREATE TABLE IF NOT EXISTS interviewer_totals
(
    status TEXT    NOT NULL PRIMARY KEY,
    n      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS interviewer_totals_insert AFTER INSERT ON interviewers WHEN new.deleted = 0
BEGIN
    INSERT INTO interviewer_totals (status, n) VALUES (new.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS interviewer_totals_update AFTER UPDATE OF status, deleted ON interviewers
    WHEN old.status IS NOT new.status OR old.deleted IS NOT new.deleted
BEGIN
    UPDATE interviewer_totals SET n = n - 1 WHERE old.deleted = 0 AND status = old.status;
    INSERT INTO interviewer_totals (status, n) SELECT new.status, 1 WHERE new.deleted = 0
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS interviewer_totals_delete AFTER DELETE ON interviewers WHEN old.deleted = 0
BEGIN
    UPDATE interviewer_totals SET n = n - 1 WHERE status = old.status;
END;

CREATE TABLE IF NOT EXISTS interviewer_skills
(
    skill          TEXT NOT NULL,            -- lower-cased
    interviewer_id TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT '', -- the interviewer's (rewritten with it): a skill filter's total from one index
    PRIMARY KEY (skill, interviewer_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS ix_interviewer_skills_interviewer ON interviewer_skills (interviewer_id);
-- ix_interviewer_skills_status (skill, status) is created at start-up, after the status column (SqliteDatabase).

CREATE TABLE IF NOT EXISTS interview_events
(
    id                  TEXT    NOT NULL PRIMARY KEY,
    interviewer_id      TEXT    NOT NULL,
    title               TEXT    NOT NULL,
    candidate_name      TEXT    NOT NULL,
    candidate_email     TEXT    NOT NULL,
    candidate_email_norm TEXT   NOT NULL,
    starts_at           TEXT    NOT NULL,
    ends_at             TEXT    NOT NULL,
    timezone            TEXT    NOT NULL,
    location            TEXT    NULL,
    meeting_url         TEXT    NULL,
    notes               TEXT    NULL,
    status              TEXT    NOT NULL,
    cancellation_reason TEXT    NULL,
    created_by          TEXT    NOT NULL,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL,
    version             INTEGER NOT NULL,
    storage_version     INTEGER NOT NULL,
    deleted             INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_events_interviewer ON interview_events (interviewer_id, starts_at) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_events_starts ON interview_events (starts_at, id) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_events_status ON interview_events (status, starts_at) WHERE deleted = 0;
CREATE INDEX IF NOT EXISTS ix_events_candidate ON interview_events (candidate_email_norm, starts_at) WHERE deleted = 0;

-- Live events per status, kept and recounted like interviewer_totals, for the total of an events list filtered by
-- status alone (or not at all).
CREATE TABLE IF NOT EXISTS event_totals
(
    status TEXT    NOT NULL PRIMARY KEY,
    n      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS event_totals_insert AFTER INSERT ON interview_events WHEN new.deleted = 0
BEGIN
    INSERT INTO event_totals (status, n) VALUES (new.status, 1) ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS event_totals_update AFTER UPDATE OF status, deleted ON interview_events
    WHEN old.status IS NOT new.status OR old.deleted IS NOT new.deleted
BEGIN
    UPDATE event_totals SET n = n - 1 WHERE old.deleted = 0 AND status = old.status;
    INSERT INTO event_totals (status, n) SELECT new.status, 1 WHERE new.deleted = 0
        ON CONFLICT (status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS event_totals_delete AFTER DELETE ON interview_events WHEN old.deleted = 0
BEGIN
    UPDATE event_totals SET n = n - 1 WHERE status = old.status;
END;

CREATE TABLE IF NOT EXISTS users
(
    id              TEXT    NOT NULL PRIMARY KEY,
    email           TEXT    NOT NULL,
    email_norm      TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    roles           TEXT    NOT NULL, -- JSON array
    interviewer_id  TEXT    NULL,
    disabled        INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    version         INTEGER NOT NULL,
    storage_version INTEGER NOT NULL,
    deleted         INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS ix_users_email ON users (email_norm, id) WHERE deleted = 0;

CREATE TABLE IF NOT EXISTS audit_logs
(
    id             TEXT    NOT NULL PRIMARY KEY,
    entity_type    TEXT    NOT NULL,
    entity_id      TEXT    NOT NULL,
    entity_version INTEGER NOT NULL,
    action         TEXT    NOT NULL,
    actor_id       TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    timestamp      TEXT    NOT NULL,
    changes        TEXT    NOT NULL, -- JSON object: field -> {from, to}
    UNIQUE (entity_type, entity_id, entity_version)
);
CREATE INDEX IF NOT EXISTS ix_audit_logs_timestamp ON audit_logs (timestamp, id);
CREATE INDEX IF NOT EXISTS ix_audit_logs_actor ON audit_logs (actor, timestamp);
CREATE INDEX IF NOT EXISTS ix_audit_logs_action ON audit_logs (action, timestamp);

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
-- Domain events (the outbox): what changed, written in the transaction of the change itself (the audit row's
-- twin: entity, version, action, changes, and the entity as it stood). The dispatcher hands each row to its sinks
-- and marks it dispatched in the same transaction as the sinks' own rows, so a crash at any point delivers later.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS domain_events
(
    seq            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    entity_type    TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    entity_version INTEGER NOT NULL,
    action         TEXT NOT NULL,
    at             TEXT NOT NULL,
    changes        TEXT NOT NULL, -- JSON object: field -> {from, to}
    data           TEXT NULL,     -- JSON: the entity after the change
    trace_parent   TEXT NULL,     -- W3C traceparent of the change's request
    dispatched     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (entity_type, entity_id, entity_version)
);
CREATE INDEX IF NOT EXISTS ix_domain_events_pending ON domain_events (seq) WHERE dispatched = 0;

-- Leases: which silo runs a cluster-wide worker (the outbox dispatcher and the email sender) right now.
CREATE TABLE IF NOT EXISTS worker_leases
(
    name  TEXT NOT NULL PRIMARY KEY,
    owner TEXT NOT NULL,
    until TEXT NOT NULL
);

-- Email notifications: one row per message (invitation, update, cancellation, reminder) and recipient, keyed so
-- that dispatching a domain event twice queues nothing twice. Reminders wait for their due time here (one index
-- read by a timer, however many there are).
CREATE TABLE IF NOT EXISTS notifications
(
    id              TEXT NOT NULL PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,  -- event, kind, sequence, recipient role (and offset)
    event_id        TEXT NOT NULL,
    kind            TEXT NOT NULL,         -- invitation | update | cancellation | reminder
    recipient_role  TEXT NOT NULL,         -- candidate | interviewer
    recipient       TEXT NOT NULL,
    sequence        INTEGER NOT NULL,
    status          TEXT NOT NULL,         -- queued | sent | failed | dead | skipped
    attempts        INTEGER NOT NULL DEFAULT 0,
    due_at          TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NULL,
    message_id      TEXT NOT NULL,
    data            TEXT NOT NULL,         -- JSON: the interview as of the change, the recipient's time zone
    trace_parent    TEXT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT NULL
);
CREATE INDEX IF NOT EXISTS ix_notifications_due ON notifications (next_attempt_at) WHERE status IN ('queued', 'failed');
CREATE INDEX IF NOT EXISTS ix_notifications_event ON notifications (event_id, created_at);
CREATE INDEX IF NOT EXISTS ix_notifications_created ON notifications (created_at, id);

-- Linked external calendars (issue 18): what to fetch, the credential encrypted with Data Protection, and how the
-- last syncs went. The sync worker picks those whose next_sync_at has come.
CREATE TABLE IF NOT EXISTS linked_calendars
(
    id              TEXT NOT NULL PRIMARY KEY,
    interviewer_id  TEXT NOT NULL,
    kind            TEXT NOT NULL,         -- ics | caldav
    url             TEXT NOT NULL,
    name            TEXT NULL,
    auth            TEXT NOT NULL,         -- none | basic | bearer
    credential      TEXT NULL,             -- protected JSON {username, secret}; never returned or logged
    created_at      TEXT NOT NULL,
    last_synced_at  TEXT NULL,
    last_attempt_at TEXT NULL,
    last_error      TEXT NULL,
    busy_count      INTEGER NOT NULL DEFAULT 0,
    failures        INTEGER NOT NULL DEFAULT 0,
    version_tag     TEXT NULL,             -- ETag (ics) or ctag/sync-token (CalDAV) of the last fetch that was read
    next_sync_at    TEXT NOT NULL,
    write_back      INTEGER NOT NULL DEFAULT 0, -- CalDAV only: interviews are written into it (calendar_pushes)
    last_pushed_at  TEXT NULL,
    last_push_error TEXT NULL
);
CREATE INDEX IF NOT EXISTS ix_linked_calendars_interviewer ON linked_calendars (interviewer_id, created_at);
CREATE INDEX IF NOT EXISTS ix_linked_calendars_due ON linked_calendars (next_sync_at);

-- ASP.NET Core Data Protection key ring, shared by every silo (credentials of linked calendars).
CREATE TABLE IF NOT EXISTS data_protection_keys
(
    name TEXT NOT NULL PRIMARY KEY,
    xml  TEXT NOT NULL
);

-- Webhook subscriptions (admins): where to POST which domain events, signed with the subscription's secret
-- (Standard Webhooks). The secret is needed in the clear to sign, and never leaves the server after creation.
CREATE TABLE IF NOT EXISTS webhooks
(
    id                    TEXT NOT NULL PRIMARY KEY,
    url                   TEXT NOT NULL,
    event_types           TEXT NOT NULL,          -- JSON array of types; empty: every type
    description           TEXT NULL,
    secret                TEXT NOT NULL,          -- Data Protection ciphertext of whsec_<base64> (plain in rows from before)
    previous_secret       TEXT NULL,              -- also signs until previous_secret_until (after a rotation)
    previous_secret_until TEXT NULL,
    enabled               INTEGER NOT NULL DEFAULT 1,
    failing_since         TEXT NULL,              -- the first failed attempt since the last success
    disabled_at           TEXT NULL,
    version               INTEGER NOT NULL,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_webhooks_created ON webhooks (created_at, id);

-- One row per (subscription, domain event): queued by the outbox dispatcher in the transaction that marks the event
-- dispatched, sent until a 2xx or for 24 h. The id is the webhook-id header: the same on every attempt.
CREATE TABLE IF NOT EXISTS webhook_deliveries
(
    id               TEXT NOT NULL PRIMARY KEY,
    webhook_id       TEXT NOT NULL,
    event_seq        INTEGER NULL,                -- the domain event; null for a ping
    event_type       TEXT NOT NULL,
    entity_id        TEXT NULL,
    entity_version   INTEGER NULL,
    payload          TEXT NOT NULL,
    status           TEXT NOT NULL,               -- pending | delivered | failed (retried) | dead (given up)
    attempts         INTEGER NOT NULL DEFAULT 0,
    retrying_since   TEXT NOT NULL,               -- the 24 h of retries count from here (creation or redelivery)
    next_attempt_at  TEXT NOT NULL,
    last_attempt_at  TEXT NULL,
    last_status_code INTEGER NULL,
    last_error       TEXT NULL,
    trace_parent     TEXT NULL,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT NULL,
    UNIQUE (webhook_id, event_seq)
);
CREATE INDEX IF NOT EXISTS ix_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status IN ('pending', 'failed');
CREATE INDEX IF NOT EXISTS ix_webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at);

-- Every attempt of a delivery: when, the answer's status code (null: no answer), the error, how long it took.
CREATE TABLE IF NOT EXISTS webhook_attempts
(
    delivery_id TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    at          TEXT NOT NULL,
    status_code INTEGER NULL,
    error       TEXT NULL,
    duration_ms INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);
-- ---------------------------------------------------------------------------------------------
-- Full-text search (the lists' `q`): FTS5 indexes over the read-model rows, external content (the text stays in
-- the row alone), kept by triggers in the transaction that writes the row. Every row is indexed, deleted ones too
-- (the lists filter them out), so that the index always mirrors its table and a rebuild ('rebuild' reads every row)
-- gives the same index as the triggers. unicode61 folds case and diacritics; the prefix indexes serve "gra" -> Grace.
-- SqliteDatabase.EnsureSchema rebuilds an index that does not hold one entry per row (a file from before it existed).
-- ---------------------------------------------------------------------------------------------
CREATE VIRTUAL TABLE IF NOT EXISTS interviewers_fts USING fts5(
    name, email, content = 'interviewers', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
CREATE TRIGGER IF NOT EXISTS interviewers_fts_insert AFTER INSERT ON interviewers
BEGIN
    INSERT INTO interviewers_fts (rowid, name, email) VALUES (new.rowid, new.name, new.email);
END;
CREATE TRIGGER IF NOT EXISTS interviewers_fts_update AFTER UPDATE OF name, email ON interviewers
BEGIN
    INSERT INTO interviewers_fts (interviewers_fts, rowid, name, email) VALUES ('delete', old.rowid, old.name, old.email);
    INSERT INTO interviewers_fts (rowid, name, email) VALUES (new.rowid, new.name, new.email);
END;
CREATE TRIGGER IF NOT EXISTS interviewers_fts_delete AFTER DELETE ON interviewers
BEGIN
    INSERT INTO interviewers_fts (interviewers_fts, rowid, name, email) VALUES ('delete', old.rowid, old.name, old.email);
END;

CREATE VIRTUAL TABLE IF NOT EXISTS interview_events_fts USING fts5(
    title, candidate_name, candidate_email, notes, content = 'interview_events', content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
-- Deleted interviews are kept out of the index, so a search with no other filter counts and ranks on the index alone.
-- (The first triggers indexed every row; a file that has them gets these and its index rebuilt at start.)
DROP TRIGGER IF EXISTS interview_events_fts_insert;
DROP TRIGGER IF EXISTS interview_events_fts_update;
DROP TRIGGER IF EXISTS interview_events_fts_delete;
CREATE TRIGGER IF NOT EXISTS interview_events_fts_add AFTER INSERT ON interview_events WHEN new.deleted = 0
BEGIN
    INSERT INTO interview_events_fts (rowid, title, candidate_name, candidate_email, notes)
    VALUES (new.rowid, new.title, new.candidate_name, new.candidate_email, new.notes);
END;
CREATE TRIGGER IF NOT EXISTS interview_events_fts_change
    AFTER UPDATE OF title, candidate_name, candidate_email, notes, deleted ON interview_events
BEGIN
    INSERT INTO interview_events_fts (interview_events_fts, rowid, title, candidate_name, candidate_email, notes)
    SELECT 'delete', old.rowid, old.title, old.candidate_name, old.candidate_email, old.notes WHERE old.deleted = 0;
    INSERT INTO interview_events_fts (rowid, title, candidate_name, candidate_email, notes)
    SELECT new.rowid, new.title, new.candidate_name, new.candidate_email, new.notes WHERE new.deleted = 0;
END;
CREATE TRIGGER IF NOT EXISTS interview_events_fts_remove AFTER DELETE ON interview_events WHEN old.deleted = 0
BEGIN
    INSERT INTO interview_events_fts (interview_events_fts, rowid, title, candidate_name, candidate_email, notes)
    VALUES ('delete', old.rowid, old.title, old.candidate_name, old.candidate_email, old.notes);
END;

-- Calendar feeds: the SHA-256 of each interviewer's current feed token (the token is stored nowhere), written with
-- the interviewer's grain state; a rotation replaces it, so the old URL finds nothing.
CREATE TABLE IF NOT EXISTS calendar_feeds
(
    interviewer_id TEXT NOT NULL PRIMARY KEY,
    token_hash     TEXT NOT NULL UNIQUE
);

-- Write-back (issue 18 section 3): what each write-back calendar should hold of each interview, queued by the outbox
-- sink in the transaction that dispatches the domain event. One row per (calendar, interview): a newer version
-- replaces the operation, so a crash before or after the request only repeats an idempotent PUT or DELETE of the
-- same resource. etag is the resource's entity tag on the calendar server (If-Match of the next update).
CREATE TABLE IF NOT EXISTS calendar_pushes
(
    calendar_id     TEXT NOT NULL,
    interview_id    TEXT NOT NULL,
    op              TEXT NOT NULL,          -- put | delete
    version         INTEGER NOT NULL,          -- the interview's version the operation is for
    data            TEXT NOT NULL,          -- the interview (JSON) as of that version
    status          TEXT NOT NULL,          -- pending | done
    etag            TEXT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (calendar_id, interview_id)
);
CREATE INDEX IF NOT EXISTS ix_calendar_pushes_due ON calendar_pushes (status, next_attempt_at);
