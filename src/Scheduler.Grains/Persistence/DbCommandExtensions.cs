using System.Data;
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

    /// <summary>A parameter of a declared type, for a value that may be null where the SQL gives no type to infer (PostgreSQL).</summary>
    public static DbCommand Add(this DbCommand command, string name, object? value, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>Adds a statement with the text and (copies of the) parameters of <paramref name="command"/>, which stays free to rebind.</summary>
    public static void AddCopyOf(this DbBatch batch, DbCommand command)
    {
        var copy = batch.CreateBatchCommand();
        copy.CommandText = command.CommandText;
        foreach (DbParameter parameter in command.Parameters)
        {
            copy.Parameters.Add(((ICloneable)parameter).Clone());
        }
        batch.BatchCommands.Add(copy);
    }

    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long ScalarLong(this DbCommand command) => Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);

    public static async Task<long> ScalarLongAsync(this DbCommand command) =>
        Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}
