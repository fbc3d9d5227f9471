using System.Data.Common;
using System.Globalization;

namespace Scheduler.Grains.Persistence;

/// <summary>Parameter binding that reads the same on every ADO.NET provider.</summary>
public static class DbCommandExtensions
{
    public static DbCommand Add(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long ScalarLong(this DbCommand command) => Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);

    public static async Task<long> ScalarLongAsync(this DbCommand command) =>
        Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}
