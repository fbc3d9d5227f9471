
namespace Scheduler.Grains.Persistence;

/// <summary>Where grain state, membership and the read model live (<c>Storage:Provider</c>).</summary>
public enum StorageProvider
{
    /// <summary>One embedded SQLite file (WAL): the single-host default, nothing to install.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database, shared by every silo of a cluster.</summary>
    PostgreSql,
}
