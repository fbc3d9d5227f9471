using System.Data;
using System.Data.Common;

namespace Scheduler.Grains.Persistence;

/// <summary>The key columns of one grain-state row, as the Orleans ADO.NET provider binds them.</summary>
internal readonly record struct GrainStateKey(
    int GrainIdHash,
    long GrainIdN0,
    long GrainIdN1,
    int GrainTypeHash,
    string GrainTypeString,
    string? GrainIdExtensionString,
    string ServiceId)
{
    public void Bind(DbCommand command) => command
        .Add("@GrainIdHash", GrainIdHash)
        .Add("@GrainIdN0", GrainIdN0)
        .Add("@GrainIdN1", GrainIdN1)
        .Add("@GrainTypeHash", GrainTypeHash)
        .Add("@GrainTypeString", GrainTypeString)
        .Add("@GrainIdExtensionString", GrainIdExtensionString, DbType.String)
        .Add("@ServiceId", ServiceId);
}
