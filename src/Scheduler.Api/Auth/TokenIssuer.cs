using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Scheduler.Users;

namespace Scheduler.Api.Auth;

public sealed record AccessToken(string Token, int ExpiresInSeconds);

/// <summary>Issues HS256 access tokens carrying the user id (<c>sub</c>), email, name, roles and session stamp.</summary>
public sealed class TokenIssuer(IOptions<JwtOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public AccessToken Issue(Session session)
    {
        var user = session.User;
        var jwt = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var lifetime = TimeSpan.FromMinutes(jwt.AccessTokenMinutes);
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, user.Id),
            new(JwtRegisteredClaimNames.Email, user.Email),
            new(JwtRegisteredClaimNames.Name, user.Name),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            new(SchedulerClaims.SessionStamp, session.Stamp),
        };
        claims.AddRange(user.Roles.Select(role => new Claim(SchedulerClaims.Role, role)));
        if (user.InterviewerId is { } interviewerId)
        {
            claims.Add(new Claim(SchedulerClaims.InterviewerId, interviewerId));
        }
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(jwt.SecretBytes), SecurityAlgorithms.HmacSha256),
        });
        return new AccessToken(token, (int)lifetime.TotalSeconds);
    }
}

public static class SchedulerClaims
{
    public const string Role = "role";
    public const string InterviewerId = "interviewer_id";
    public const string SessionStamp = "sst";
}
