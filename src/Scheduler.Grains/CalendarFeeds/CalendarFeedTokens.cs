using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.CalendarFeeds;

/// <summary>
/// Feed tokens: HMAC-SHA256 of an interviewer's 128-bit random nonce under the feed secret, in base64url (43 characters).
/// The grain state keeps the nonce, the <c>calendar_feeds</c> table the token's SHA-256, so the token itself is stored
/// nowhere and can still be shown again to those who may see it.
/// </summary>
public sealed class CalendarFeedTokens(IOptions<CalendarFeedOptions> options, IConfiguration configuration)
{
    public const int TokenLength = 43;

    private readonly byte[] _key = SHA256.HashData(Encoding.UTF8.GetBytes(
        "scheduler calendar feed\n" + (options.Value.Secret ?? configuration["Jwt:Secret"] ?? "development only")));

    /// <summary>The token of <paramref name="nonce"/>, or of a new random one when it is null.</summary>
    public IssuedFeed Issue(string interviewerId, byte[]? nonce)
    {
        nonce ??= RandomNumberGenerator.GetBytes(16);
        var token = Base64Url.EncodeToString(HMACSHA256.HashData(_key, (byte[])[.. Encoding.UTF8.GetBytes(interviewerId + "\n"), .. nonce]));
        return new IssuedFeed(nonce, token, Hash(token));
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="token"/> could be one we issued (the lookup is skipped otherwise).</summary>
    public static bool IsWellFormed(string token) =>
        token.Length == TokenLength && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The interviewer's current token hash in <c>calendar_feeds</c>, committed with its grain state.</summary>
    public static IReadModelChange Row(string interviewerId, string tokenHash) => new FeedRow(interviewerId, tokenHash);

    public sealed record IssuedFeed(byte[] Nonce, string Token, string Hash);

    private sealed record FeedRow(string InterviewerId, string TokenHash) : IReadModelChange
    {
        public void Apply(ReadModelSession session)
        {
            var command = session.Command("""
                INSERT INTO calendar_feeds (interviewer_id, token_hash) VALUES (@id, @hash)
                ON CONFLICT (interviewer_id) DO UPDATE SET token_hash = excluded.token_hash
                """);
            command.Add("@id", InterviewerId);
            command.Add("@hash", TokenHash);
            session.Execute(command);
        }
    }
}
