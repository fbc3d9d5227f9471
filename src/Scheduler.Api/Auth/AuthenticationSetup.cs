using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Scheduler.Api.Auth;

public static class AuthenticationSetup
{
    /// <summary>
    /// JWT bearer validation: signature (HS256 only), issuer, audience and lifetime, 30 s of clock skew; a token that
    /// passed is remembered until it expires (<see cref="RememberedBearerHandler"/>, the default scheme).
    /// Outside Development the process refuses to start without a secret of at least 32 bytes; in Development a
    /// missing secret is replaced by a random one (tokens then last until the process stops).
    /// </summary>
    public static IServiceCollection AddSchedulerAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var jwt = configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
        if (!jwt.HasStrongSecret)
        {
            if (!environment.IsDevelopment() || !string.IsNullOrEmpty(jwt.Secret))
            {
                throw new InvalidOperationException(
                    $"Jwt:Secret (environment variable Jwt__Secret) must be set to at least {JwtOptions.MinimumSecretBytes} bytes.");
            }
            jwt.Secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        }
        services.AddOptions<JwtOptions>().Configure(o =>
        {
            o.Secret = jwt.Secret;
            o.Issuer = jwt.Issuer;
            o.Audience = jwt.Audience;
            o.AccessTokenMinutes = jwt.AccessTokenMinutes;
        });
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<ValidatedTokens>();
        services.AddSingleton<SessionStamps>();
        services.AddSingleton<OidcSignIn>();

        services.AddAuthentication(RememberedBearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, RememberedBearerHandler>(RememberedBearerHandler.SchemeName, options =>
            {
                options.ForwardChallenge = JwtBearerDefaults.AuthenticationScheme;
                options.ForwardForbid = JwtBearerDefaults.AuthenticationScheme;
            })
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                // A token refused for its ended session passed every check of this scheme: say why (RFC 6750).
                options.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        context.Token = BearerToken.Read(context.Request);
                        return Task.CompletedTask;
                    },
                    OnChallenge = context =>
                    {
                        if (context.HttpContext.Items.ContainsKey(RememberedBearerHandler.SessionEndedItem))
                        {
                            context.Error = "invalid_token";
                            context.ErrorDescription = "The session this token belongs to has ended.";
                        }
                        return Task.CompletedTask;
                    },
                };
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuer = jwt.Issuer,
                    ValidateAudience = true,
                    ValidAudience = jwt.Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    ValidateIssuerSigningKey = true,
                    IssuerSigningKey = new SymmetricSecurityKey(jwt.SecretBytes),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = JwtRegisteredClaimNames.Name,
                    RoleClaimType = SchedulerClaims.Role,
                };
            });
        return services;
    }
}
