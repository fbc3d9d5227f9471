using Scheduler.Common;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Common;

/// <summary>
/// The <c>email_claims</c> table: one row per owner holding its normalised email, unique per kind of owner. A change
/// writes its claim in the transaction of its state, so the unique index decides a race between any number of
/// grains on any number of silos, and a refused claim leaves nothing of its change behind.
/// </summary>
public static class EmailClaims
{
    /// <summary>The owner's claim on <paramref name="email"/>, taking or moving it.</summary>
    public static IReadModelChange Claim(EmailOwnerKind kind, string ownerId, string email) => new Row(kind, ownerId, EmailIndex.Normalize(email));

    /// <summary>Gives up the owner's claim (deleted).</summary>
    public static IReadModelChange Release(EmailOwnerKind kind, string ownerId) => new Row(kind, ownerId, null);

    /// <summary>The id of the owner that holds <paramref name="email"/> now, or null.</summary>
    public static Task<string?> Owner(ReadModelQueries queries, EmailOwnerKind kind, string email) => queries.RunAsync(async session =>
        await session.Command("SELECT owner_id FROM email_claims WHERE kind = @kind AND email_norm = @email",
            [new("@kind", Name(kind)), new("@email", EmailIndex.Normalize(email))]).ExecuteScalarAsync() as string);

    private static string Name(EmailOwnerKind kind) => kind == EmailOwnerKind.User ? "user" : "interviewer";

    private sealed record Row(EmailOwnerKind Kind, string OwnerId, string? Email) : IReadModelChange
    {
        private const string ClaimSql = """
            INSERT INTO email_claims (kind, owner_id, email_norm) VALUES (@kind, @owner, @email)
            ON CONFLICT (kind, owner_id) DO UPDATE SET email_norm = excluded.email_norm
            """;

        private const string ReleaseSql = "DELETE FROM email_claims WHERE kind = @kind AND owner_id = @owner";

        public void Apply(ReadModelSession session)
        {
            var command = session.Command(Email is null ? ReleaseSql : ClaimSql);
            command.Add("@kind", Name(Kind));
            command.Add("@owner", OwnerId);
            if (Email is not null)
            {
                command.Add("@email", Email);
            }
            session.Execute(command, error =>
                session.Database.IsUniqueViolation(error) ? new UniqueClaimException("email", Email!, error) : null);
        }
    }
}
