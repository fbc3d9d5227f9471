-- Scheduler's PostgreSQL schema, part 1: what the Orleans ADO.NET providers need (grain storage and cluster
-- membership). Part 2, the read model, is postgresql-schema.sql.
--
-- Idempotent: run at every process start (PostgreSqlDatabase.EnsureSchema), possibly by several silos at once.
-- The caller runs it inside one transaction after SELECT pg_advisory_xact_lock(<schema lock key>), so two
-- processes never run this DDL side by side: CREATE TABLE IF NOT EXISTS alone is not safe against a concurrent
-- CREATE of the same table (without the lock, simultaneous first runs fail on pg_type_typname_nsp_index). Every
-- statement here is CREATE ... IF NOT EXISTS or an upsert, so a second run changes nothing but the query texts,
-- which it refreshes. No functions: every query is one SQL statement, atomic on its own.
--
-- The providers read their query texts from OrleansQuery when they initialise (the silo's storage and
-- membership start after this script ran). Orleans binds parameters by name (@Name, which Npgsql rewrites to
-- $n) with explicit types, and reads result columns by name; PostgreSQL folds the unquoted names below to lower
-- case and Npgsql's GetOrdinal falls back to a case-insensitive match, so "Version" finds version.
-- Parameter types as Orleans 10.4.2 binds them through Npgsql:
--   int32 (int4)           GrainIdHash, GrainTypeHash, GrainStateVersion (null for a grain never written),
--                          Port, Generation, Status, ProxyPort, Version (membership etag)
--   int64 (int8)           GrainIdN0, GrainIdN1
--   text                   GrainTypeString, GrainIdExtensionString (may be null), ServiceId, DeploymentId,
--                          Address, SiloName, HostName, SuspectTimes (may be null)
--   bytea                  PayloadBinary
--   timestamptz            StartTime, IAmAliveTime: DbType.DateTime, which Npgsql 6+ sends as timestamp with
--                          time zone (the values are UTC DateTimes); the columns are timestamptz to match.
-- Only parameters Orleans binds may appear in a query: Npgsql leaves an unknown @Name in the text, where
-- PostgreSQL reads it as the @ (absolute value) operator and fails.

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  text NOT NULL PRIMARY KEY,
    QueryText text NOT NULL
);

-- ---------------------------------------------------------------------------------------------
-- Grain storage (Microsoft.Orleans.Persistence.AdoNet): WriteToStorageKey, ReadFromStorageKey, ClearStorageKey.
-- Same rows and semantics as the SQLite schema: GrainTypeString is the state name given in [PersistentState];
-- GrainIdExtensionString holds a string grain key, stored as '' when null so the primary key can match it.
-- (DeleteStorageKey, only needed with DeleteStateOnClear = true, is not provided, as on SQLite.)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            integer     NOT NULL,
    GrainIdN0              bigint      NOT NULL,
    GrainIdN1              bigint      NOT NULL,
    GrainTypeHash          integer     NOT NULL,
    GrainTypeString        text        NOT NULL,
    GrainIdExtensionString text        NOT NULL,
    ServiceId              text        NOT NULL,
    PayloadBinary          bytea       NULL,
    ModifiedOn             timestamptz NOT NULL DEFAULT now(),
    Version                integer     NOT NULL,
    PRIMARY KEY (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId)
);

-- Optimistic concurrency in one statement. A new grain (@GrainStateVersion null) inserts version 1; a known grain
-- updates only the version it read. No row returned tells Orleans the write lost a race
-- (InconsistentStateException): a null version for a row that is there (the conflict's DO UPDATE condition is
-- false), a version for a row that is not (the SELECT yields nothing to insert), or a stale version. ON CONFLICT
-- DO UPDATE locks the row and tests the condition against its latest committed version, so of two writers holding
-- the same version exactly one succeeds.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('WriteToStorageKey', $query$
INSERT INTO OrleansStorage AS stored
       (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
        GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
       coalesce(@GrainIdExtensionString, ''), @ServiceId, @PayloadBinary, now(), 1
 WHERE @GrainStateVersion IS NULL
    OR EXISTS (SELECT 1 FROM OrleansStorage existing
                WHERE existing.GrainIdHash = @GrainIdHash AND existing.GrainTypeHash = @GrainTypeHash
                  AND existing.GrainIdN0 = @GrainIdN0 AND existing.GrainIdN1 = @GrainIdN1
                  AND existing.GrainTypeString = @GrainTypeString
                  AND existing.GrainIdExtensionString = coalesce(@GrainIdExtensionString, '')
                  AND existing.ServiceId = @ServiceId)
ON CONFLICT (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, GrainTypeString, GrainIdExtensionString, ServiceId)
DO UPDATE SET PayloadBinary = excluded.PayloadBinary,
              ModifiedOn = excluded.ModifiedOn,
              Version = stored.Version + 1
        WHERE stored.Version = @GrainStateVersion
RETURNING stored.Version AS NewGrainStateVersion
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- A cleared grain keeps its row (payload null, version bumped), so the next write continues from its version.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ReadFromStorageKey', $query$
SELECT PayloadBinary, Version
  FROM OrleansStorage
 WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
   AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
   AND GrainTypeString = @GrainTypeString
   AND GrainIdExtensionString = coalesce(@GrainIdExtensionString, '')
   AND ServiceId = @ServiceId
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('ClearStorageKey', $query$
UPDATE OrleansStorage
   SET PayloadBinary = NULL,
       ModifiedOn = now(),
       Version = Version + 1
 WHERE GrainIdHash = @GrainIdHash AND GrainTypeHash = @GrainTypeHash
   AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
   AND GrainTypeString = @GrainTypeString
   AND GrainIdExtensionString = coalesce(@GrainIdExtensionString, '')
   AND ServiceId = @ServiceId
   AND Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- ---------------------------------------------------------------------------------------------
-- Cluster membership (Microsoft.Orleans.Clustering.AdoNet). Required keys: InsertMembershipVersionKey,
-- InsertMembershipKey, UpdateMembershipKey, UpdateIAmAlivetimeKey, MembershipReadRowKey, MembershipReadAllKey,
-- GatewaysQueryKey, DeleteMembershipTableEntriesKey, CleanupDefunctSiloEntriesKey; the provider refuses to start
-- without any of them. Optional: CleanupDefunctSiloEntryKey, which 10.4.2 prefers when present.
-- One version row per deployment (cluster id) is the table's etag: every membership change (insert, update)
-- bumps it, conditional on the version the writer read. Heartbeats and cleanup leave it alone.
-- The inserts and the update answer one row of one column, read as a boolean (0 = not done, nothing changed).
-- Locks are taken a silo's row before the version row, never the other way, so writers cannot deadlock.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId text        NOT NULL PRIMARY KEY,
    Timestamp    timestamptz NOT NULL DEFAULT now(),
    Version      integer     NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId text        NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      text        NOT NULL,
    Port         integer     NOT NULL,
    Generation   integer     NOT NULL,
    SiloName     text        NOT NULL,
    HostName     text        NOT NULL,
    Status       integer     NOT NULL, -- SiloStatus: 2 Joining, 3 Active, 4 ShuttingDown, 5 Stopping, 6 Dead
    ProxyPort    integer     NOT NULL, -- gateway port, 0 when the silo is no gateway
    SuspectTimes text        NULL,     -- "silo,time|silo,time", as Orleans formats it
    StartTime    timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Parameters: DeploymentId. 1 when this call created the version row, 0 when it was there.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipVersionKey', $query$
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer FROM created
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Parameters: DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime,
-- IAmAliveTime, Version. Bumps the version if it is still @Version and the silo has no row yet, and inserts the
-- row only then. A concurrent insert of the same silo that the check could not see fails the statement on the
-- primary key, which undoes the version bump too (Orleans takes an error as a failed write and retries).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('InsertMembershipKey', $query$
WITH version AS (
    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1,
           Timestamp = now()
     WHERE DeploymentId = @DeploymentId
       AND Version = @Version AND Version < 2147483647
       AND NOT EXISTS (SELECT 1 FROM OrleansMembershipTable
                        WHERE DeploymentId = @DeploymentId
                          AND Address = @Address AND Port = @Port AND Generation = @Generation)
    RETURNING DeploymentId
), inserted AS (
    INSERT INTO OrleansMembershipTable
           (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, SuspectTimes,
            StartTime, IAmAliveTime)
    SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, NULL,
           @StartTime, @IAmAliveTime
      FROM version
    RETURNING 1
)
SELECT count(*)::integer FROM inserted
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Parameters: DeploymentId, Address, Port, Generation, Status, SuspectTimes, IAmAliveTime, Version. Locks the
-- silo's row first (so it cannot vanish between the two writes), bumps the version if it is still @Version,
-- then updates the row: both or neither. A missing row or a stale version returns 0 and changes nothing.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateMembershipKey', $query$
WITH member AS (
    SELECT 1
      FROM OrleansMembershipTable
     WHERE DeploymentId = @DeploymentId
       AND Address = @Address AND Port = @Port AND Generation = @Generation
       FOR UPDATE
), version AS (
    UPDATE OrleansMembershipVersionTable
       SET Version = Version + 1,
           Timestamp = now()
     WHERE DeploymentId = @DeploymentId
       AND Version = @Version AND Version < 2147483647
       AND EXISTS (SELECT 1 FROM member)
    RETURNING DeploymentId
), updated AS (
    UPDATE OrleansMembershipTable AS m
       SET Status = @Status,
           SuspectTimes = @SuspectTimes,
           IAmAliveTime = @IAmAliveTime
      FROM version
     WHERE m.DeploymentId = version.DeploymentId
       AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    RETURNING 1
)
SELECT count(*)::integer FROM updated
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Parameters: DeploymentId, Address, Port, Generation, IAmAliveTime. The heartbeat: one write to one row by its
-- primary key; the version is left alone. Result not read.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('UpdateIAmAlivetimeKey', $query$
UPDATE OrleansMembershipTable
   SET IAmAliveTime = @IAmAliveTime
 WHERE DeploymentId = @DeploymentId
   AND Address = @Address AND Port = @Port AND Generation = @Generation
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Parameters: DeploymentId, Address, Port, Generation. The version row, with the silo's columns when it has a row
-- (null otherwise: Orleans reads "no StartTime" as "no entry"). Orleans needs at least the version row.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadRowKey', $query$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
  FROM OrleansMembershipVersionTable v
  LEFT OUTER JOIN OrleansMembershipTable m
    ON v.DeploymentId = m.DeploymentId
   AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
 WHERE v.DeploymentId = @DeploymentId
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Parameters: DeploymentId. Every silo row of the deployment, each with the table version (one statement, one
-- snapshot, so rows and version agree).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('MembershipReadAllKey', $query$
SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
  FROM OrleansMembershipVersionTable v
  LEFT OUTER JOIN OrleansMembershipTable m
    ON v.DeploymentId = m.DeploymentId
 WHERE v.DeploymentId = @DeploymentId
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Parameters: DeploymentId, Status (3, Active). Gateways for clients: Address, ProxyPort, Generation.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('GatewaysQueryKey', $query$
SELECT Address, ProxyPort, Generation
  FROM OrleansMembershipTable
 WHERE DeploymentId = @DeploymentId
   AND Status = @Status
   AND ProxyPort > 0
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Parameters: DeploymentId. Drops the deployment's membership, rows and version (one statement: the foreign key
-- is checked at its end, when both are gone).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('DeleteMembershipTableEntriesKey', $query$
WITH members AS (
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId
)
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Parameters: DeploymentId, IAmAliveTime (the cut-off). Required, but 10.4.2 uses it only when
-- CleanupDefunctSiloEntryKey below is missing: dead silos started and last alive before the cut-off, and never
-- suspected (a suspicion's time is inside SuspectTimes' text, so the per-row query below handles those).
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntriesKey', $query$
DELETE FROM OrleansMembershipTable
 WHERE DeploymentId = @DeploymentId
   AND Status = 6
   AND IAmAliveTime < @IAmAliveTime
   AND StartTime < @IAmAliveTime
   AND coalesce(SuspectTimes, '') = ''
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

-- Parameters: DeploymentId, Address, Port, Generation, StartTime, IAmAliveTime, SuspectTimes. Optional; when
-- present Orleans reads all rows, picks the dead ones whose start, heartbeat and suspicions are all older than the
-- cut-off, and deletes each with the values it read: a row changed since (a heartbeat, a new suspicion) stays.
-- Version left alone.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES ('CleanupDefunctSiloEntryKey', $query$
DELETE FROM OrleansMembershipTable
 WHERE DeploymentId = @DeploymentId
   AND Address = @Address AND Port = @Port AND Generation = @Generation
   AND Status = 6
   AND StartTime = @StartTime
   AND IAmAliveTime = @IAmAliveTime
   AND coalesce(SuspectTimes, '') = coalesce(@SuspectTimes, '')
$query$)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
