using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Scheduler.Api.Auth;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

/// <summary>A session stamp's lease to the tick, and the remembered validation actually used, on a real host's grains.</summary>
public sealed class SessionStampWindowTests(TrustingFactory factory) : IClassFixture<TrustingFactory>
{
    private const string Password = "a-long-enough-password";

    [Fact]
    public async Task IsCurrent_TrustsAStampForItsLease_AndAsksAgainAtItsEnd()
    {
        var email = $"window.{Guid.NewGuid():N}@scheduler.test";
        var user = await factory.RegisterUser(email, "Window", Password, Roles.Talent);
        await factory.Login(email, Password);
        var grain = factory.Grains.GetGrain<IUserGrain>(user.Id);
        var lease = await grain.GetSessionLease();
        var clock = new FixedClock(DateTimeOffset.UtcNow);
        var stamps = new SessionStamps(factory.Grains, clock);

        var heard = await stamps.IsCurrent(user.Id, lease.Stamp!);
        await grain.ChangePassword(Password, "another-long-enough-password");
        clock.Advance(lease.Duration - TimeSpan.FromTicks(1));
        var stillTrusted = await stamps.IsCurrent(user.Id, lease.Stamp!);
        clock.Advance(TimeSpan.FromTicks(1));
        var askedAgain = await stamps.IsCurrent(user.Id, lease.Stamp!);

        Assert.Equal(TrustingFactory.TrustWindow, lease.Duration);
        Assert.True(heard);
        Assert.True(stillTrusted);
        Assert.False(askedAgain);
        Assert.False(await stamps.IsCurrent(user.Id, "another-stamp"));
    }

    [Fact]
    public async Task Request_WithARememberedToken_IsAuthenticatedWithoutValidatingItAgain()
    {
        var email = $"remembered.{Guid.NewGuid():N}@scheduler.test";
        await factory.RegisterUser(email, "Remembered", Password, Roles.Talent);
        var real = new JsonWebToken(await factory.Login(email, Password));
        var now = factory.Clock.GetUtcNow();
        // Not a JWT at all: only the remembered validation can accept it.
        const string opaque = "remembered-opaque-token";
        factory.Services.GetRequiredService<ValidatedTokens>().Remember(opaque,
            new ClaimsPrincipal(new ClaimsIdentity(real.Claims, "test", "name", "role")), now.AddMinutes(5), now);
        using var client = factory.CreateClient();
        client.UseBearer(opaque);

        var me = await ApiAssert.Json(await client.GetAsync("/api/auth/me"), HttpStatusCode.OK);

        Assert.Equal(email, me.GetProperty("email").GetString());
    }
}
