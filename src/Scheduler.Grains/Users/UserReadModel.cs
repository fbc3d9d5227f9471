using System.Text;
using System.Text.Json;
using Scheduler.Common;
using Scheduler.Grains.Persistence;
using Scheduler.Users;

namespace Scheduler.Grains.Users;

/// <summary>The <c>users</c> table (never a password hash): written by the user grain, read by the user list.</summary>
public static class UserReadModel
{
    public static IReadModelChange Projection(UserInfo user, bool deleted, long storageVersion) => new UserRow(user, deleted, storageVersion);

    public static Task<Page<UserInfo>> List(ReadModelQueries queries, string? text, int limit, int offset) => queries.RunAsync(async session =>
    {
        var database = session.Database;
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        var where = new StringBuilder("WHERE deleted = 0");
        if (!string.IsNullOrEmpty(text))
        {
            where.Append($" AND ({database.Contains(database.Lower("name"), "@text")} OR {database.Contains("email_norm", "@text")})");
            parameters["@text"] = text.ToLowerInvariant();
        }
        var total = await session.CountAsync(session.Command($"SELECT count(*) FROM users {where}", parameters));
        parameters["@limit"] = limit;
        parameters["@offset"] = offset;
        var command = session.Command($"""
            SELECT id, email, name, roles, interviewer_id, disabled, created_at, updated_at, version
            FROM users {where} ORDER BY email_norm, id LIMIT @limit OFFSET @offset
            """, parameters);
        var items = new List<UserInfo>();
        await using var reader = await session.QueryAsync(command);
        while (await reader.ReadAsync())
        {
            items.Add(new UserInfo(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                JsonSerializer.Deserialize(reader.GetString(3), ReadModelJson.Default.StringArray) ?? [],
                reader.NullableString(4), reader.GetInt64(5) != 0,
                SqlTime.FromText(reader.GetString(6)), reader.GetInt64(8), SqlTime.FromText(reader.GetString(7))));
        }
        return new Page<UserInfo>(items, total, limit, offset);
    });

    private sealed record UserRow(UserInfo User, bool Deleted, long StorageVersion) : IReadModelChange
    {
        private const string UpsertSql = """
            INSERT INTO users (id, email, email_norm, name, roles, interviewer_id, disabled, created_at, updated_at, version, storage_version, deleted)
            VALUES (@id, @email, @emailNorm, @name, @roles, @interviewerId, @disabled, @createdAt, @updatedAt, @version, @storageVersion, @deleted)
            ON CONFLICT (id) DO UPDATE SET
                email = excluded.email, email_norm = excluded.email_norm, name = excluded.name, roles = excluded.roles,
                interviewer_id = excluded.interviewer_id, disabled = excluded.disabled, updated_at = excluded.updated_at,
                version = excluded.version, storage_version = excluded.storage_version, deleted = excluded.deleted
            WHERE excluded.storage_version > users.storage_version
            """;

        public void Apply(ReadModelSession session)
        {
            var command = session.Command(UpsertSql);
            command.Add("@id", User.Id);
            command.Add("@email", User.Email);
            command.Add("@emailNorm", EmailIndex.Normalize(User.Email));
            command.Add("@name", User.Name);
            command.Add("@roles", JsonSerializer.Serialize(User.Roles.ToArray(), ReadModelJson.Default.StringArray));
            command.Add("@interviewerId", User.InterviewerId);
            command.Add("@disabled", User.Disabled ? 1 : 0);
            command.Add("@createdAt", SqlTime.ToText(User.CreatedAt));
            command.Add("@updatedAt", SqlTime.ToText(User.UpdatedAt ?? User.CreatedAt));
            command.Add("@version", User.Version);
            command.Add("@storageVersion", StorageVersion);
            command.Add("@deleted", Deleted ? 1 : 0);
            session.Execute(command);
        }
    }
}
