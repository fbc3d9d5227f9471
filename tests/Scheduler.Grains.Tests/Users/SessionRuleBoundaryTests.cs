using Scheduler.Grains.Users;

namespace Scheduler.Grains.Tests.Users;

/// <summary>The session rules at their edges: the instant a refresh token expires, a second sign-in, forgotten failures.</summary>
public sealed class SessionRuleBoundaryTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RefreshToken_AtExactlyItsExpiry_IsExpired_AndDroppedByTheNextSignIn()
    {
        var state = new SessionState();
        var clock = new FixedClock(Start);
        var families = new RefreshTokenFamilies(state, clock);
        var (token, _) = families.Open("user-1", "family-1");
        clock.Advance(RefreshTokenFamilies.RefreshLifetime - TimeSpan.FromTicks(1));
        var (stillValid, _) = families.Open("user-1", "family-2");
        clock.Advance(TimeSpan.FromTicks(1));

        Assert.Equal(RefreshOutcome.Expired, families.Redeem(token, out _));
        families.Open("user-1", "family-3");
        Assert.Equal(["family-2", "family-3"], state.RefreshTokens.Values.Select(r => r.FamilyId).Order());
        Assert.Equal(RefreshOutcome.Redeemed, families.Redeem(stillValid, out _));
    }

    [Fact]
    public void Open_SecondSignIn_KeepsTheStampOfTheFirst()
    {
        var families = new RefreshTokenFamilies(new SessionState(), new FixedClock(Start));

        var (_, first) = families.Open("user-1", RefreshTokenFamilies.NewFamily());
        var (_, second) = families.Open("user-1", RefreshTokenFamilies.NewFamily());

        // Signing in on another device must not end the first device's access tokens.
        Assert.Equal(first, second);
        Assert.Equal(first, families.Stamp);
    }

    [Fact]
    public void NewFamily_IsAFreshCompactId()
    {
        var first = RefreshTokenFamilies.NewFamily();

        Assert.Matches("^[0-9a-f]{32}$", first);
        Assert.NotEqual(first, RefreshTokenFamilies.NewFamily());
    }

    [Fact]
    public void Lockout_KeepsNoFailuresOnceLocked_AndClearForgetsFailuresBelowTheLimit()
    {
        var locked = new SessionState();
        var lockout = new SignInLockout(locked);
        for (var n = 0; n < SignInLockout.MaxFailures; n++)
        {
            lockout.CountFailure(Start);
        }
        var belowLimit = new SessionState();
        var other = new SignInLockout(belowLimit);
        for (var n = 0; n < SignInLockout.MaxFailures - 1; n++)
        {
            other.CountFailure(Start);
        }

        other.Clear();

        Assert.True(lockout.IsLocked(Start));
        Assert.Empty(locked.FailedSignIns);
        Assert.Empty(belowLimit.FailedSignIns);
        Assert.Null(other.CountFailure(Start));
    }
}
