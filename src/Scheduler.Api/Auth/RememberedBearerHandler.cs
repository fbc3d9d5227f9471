using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Scheduler.Api.Auth;

/// <summary>
/// The default authentication scheme: a bearer token is validated by the framework's JWT bearer scheme the first time
/// it is seen, and its principal is then remembered until the token expires (<see cref="ValidatedTokens"/>). The
/// bearer handler cloned its validation parameters, built a validation context and ran the token handler on every
/// request: about 40 % of what a read by id allocated. Challenges and forbids are the bearer scheme's.
/// </summary>
public sealed class RememberedBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ValidatedTokens tokens,
    SessionStamps stamps) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "RememberedBearer";

    /// <summary>Set in the request's items when a token was refused because its session ended: its challenge says so.</summary>
    public const string SessionEndedItem = "scheduler.session_ended";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        // The token as the bearer handler reads it (OnMessageReceived: the hub's query parameter too).
        if (BearerToken.Read(Request) is not { } token)
        {
            return AuthenticateResult.NoResult();
        }
        var now = TimeProvider.GetUtcNow();
        if (token.Length > 0 && tokens.TryGet(token, now, out var principal))
        {
            return await StillCurrent(principal)
                ? AuthenticateResult.Success(new AuthenticationTicket(principal, JwtBearerDefaults.AuthenticationScheme))
                : Ended();
        }

        var result = await Context.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (result is { Succeeded: true, Principal: { } validated })
        {
            if (!await StillCurrent(validated))
            {
                return Ended();
            }
            if (Expiry(validated) is { } expires)
            {
                tokens.Remember(token, validated, expires, now);
            }
        }
        return result;
    }

    private AuthenticateResult Ended()
    {
        Context.Items[SessionEndedItem] = true;
        return AuthenticateResult.Fail("The session this token belongs to has ended.");
    }

    // A token without a stamp was not issued by this version: it is refused like one whose session ended.
    private ValueTask<bool> StillCurrent(ClaimsPrincipal principal) =>
        principal.FindFirst(JwtRegisteredClaimNames.Sub)?.Value is { } user && principal.FindFirst(SchedulerClaims.SessionStamp)?.Value is { } stamp
            ? stamps.IsCurrent(user, stamp)
            : ValueTask.FromResult(false);

    private static DateTimeOffset? Expiry(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirst(JwtRegisteredClaimNames.Exp)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
}
