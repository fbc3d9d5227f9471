using System.Security.Cryptography;
using System.Text;

namespace Scheduler.Grains.Users;

/// <summary>What a refresh token presented to <see cref="RefreshTokenFamilies.Redeem"/> turned out to be.</summary>
public enum RefreshOutcome
{
    /// <summary>Not a token of this user.</summary>
    Unknown,

    /// <summary>Valid and now spent: a new session of its family may open.</summary>
    Redeemed,

    /// <summary>Past its lifetime.</summary>
    Expired,

    /// <summary>Spent or revoked before: someone holds a copy. Its family and the session stamp were revoked.</summary>
    Reused,
}

/// <summary>
/// A user's sessions, kept in its <see cref="SessionState"/>: refresh tokens (only their SHA-256 is stored) grouped in
/// families that rotate on every refresh, and the session stamp that the user's access tokens carry. A spent token
/// that comes back revokes its family and changes the stamp. Plain logic; the grain stores the state.
/// </summary>
public sealed class RefreshTokenFamilies(SessionState state, TimeProvider time)
{
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(14);

    /// <summary>What the user's current access tokens carry.</summary>
    public string? Stamp => state.Stamp;

    public static string NewFamily() => Guid.NewGuid().ToString("N");

    /// <summary>Issues a refresh token of <paramref name="familyId"/> (dropping expired ones); returns it with the stamp.</summary>
    public (string RefreshToken, string Stamp) Open(string userId, string familyId)
    {
        var token = $"{userId}.{Base64UrlEncode(RandomNumberGenerator.GetBytes(32))}";
        var now = time.GetUtcNow();
        var tokens = state.RefreshTokens;
        foreach (var expired in tokens.Where(t => t.Value.ExpiresAt <= now).Select(t => t.Key).ToArray())
        {
            tokens.Remove(expired);
        }
        tokens[Hash(token)] = new RefreshTokenRecord(familyId, now + RefreshLifetime, Spent: false, Revoked: false);
        return (token, state.Stamp ??= NewStamp());
    }

    /// <summary>Spends <paramref name="refreshToken"/>; <paramref name="familyId"/> is its family when redeemed.</summary>
    public RefreshOutcome Redeem(string refreshToken, out string? familyId)
    {
        familyId = null;
        var hash = Hash(refreshToken);
        var tokens = state.RefreshTokens;
        if (!tokens.TryGetValue(hash, out var record))
        {
            return RefreshOutcome.Unknown;
        }
        if (record.Spent || record.Revoked)
        {
            // Every access token ends too: it cannot tell its family, so other devices refresh once.
            foreach (var (key, member) in tokens.Where(t => t.Value.FamilyId == record.FamilyId).ToArray())
            {
                tokens[key] = member with { Revoked = true };
            }
            state.Stamp = NewStamp();
            return RefreshOutcome.Reused;
        }
        if (record.ExpiresAt <= time.GetUtcNow())
        {
            return RefreshOutcome.Expired;
        }
        tokens[hash] = record with { Spent = true };
        familyId = record.FamilyId;
        return RefreshOutcome.Redeemed;
    }

    /// <summary>Revokes one refresh token; false if it was unknown or already revoked.</summary>
    public bool Revoke(string refreshToken)
    {
        var hash = Hash(refreshToken);
        if (!state.RefreshTokens.TryGetValue(hash, out var record) || record.Revoked)
        {
            return false;
        }
        state.RefreshTokens[hash] = record with { Revoked = true };
        return true;
    }

    /// <summary>Ends every session: all refresh tokens revoked, and a new stamp ends every access token.</summary>
    public void RevokeAll()
    {
        ChangeStamp();
        foreach (var (key, record) in state.RefreshTokens.ToArray())
        {
            state.RefreshTokens[key] = record with { Revoked = true };
        }
    }

    /// <summary>Ends the access tokens only (roles changed): refresh tokens stay and issue tokens with the new claims.</summary>
    public void ChangeStamp() => state.Stamp = NewStamp();

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
