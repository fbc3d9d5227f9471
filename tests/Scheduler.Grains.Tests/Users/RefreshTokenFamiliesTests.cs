using Scheduler.Grains.Users;

namespace Scheduler.Grains.Tests.Users;

public sealed class RefreshTokenFamiliesTests
{
    private const string User = "user-1";
    private readonly SessionState _state = new();
    private readonly ManualClock _clock = new();

    private RefreshTokenFamilies Families => new(_state, _clock);

    [Fact]
    public void Open_NewToken_StoresOnlyItsHashWithStamp()
    {
        var (token, stamp) = Families.Open(User);

        Assert.StartsWith("user-1.", token, StringComparison.Ordinal);
        Assert.Equal(stamp, Families.Stamp);
        var stored = Assert.Single(_state.Families);
        Assert.DoesNotContain(token, stored.Value.TokenHash, StringComparison.Ordinal);
        Assert.DoesNotContain(token[(User.Length + 34)..], System.Text.Json.JsonSerializer.Serialize(_state), StringComparison.Ordinal);
    }

    [Fact]
    public void Redeem_ValidToken_RotatesItsFamily()
    {
        var (token, _) = Families.Open(User);

        var outcome = Families.Redeem(User, token, out var next);

        Assert.Equal(RefreshOutcome.Redeemed, outcome);
        Assert.NotNull(next);
        Assert.NotEqual(token, next);
        Assert.Single(_state.Families);
        Assert.Equal(RefreshOutcome.Redeemed, Families.Redeem(User, next!, out _));
    }

    [Fact]
    public void Redeem_SpentTokenAgain_RevokesFamilyAndChangesStamp()
    {
        var (first, stamp) = Families.Open(User);
        Families.Redeem(User, first, out var second);
        var (other, _) = Families.Open(User);

        var outcome = Families.Redeem(User, first, out var next);

        Assert.Equal(RefreshOutcome.Reused, outcome);
        Assert.Null(next);
        Assert.NotEqual(stamp, Families.Stamp);
        Assert.Equal(RefreshOutcome.Unknown, Families.Redeem(User, second!, out _));
        Assert.Equal(RefreshOutcome.Redeemed, Families.Redeem(User, other, out _));
    }

    [Fact]
    public void Redeem_ManyRotations_KeepOneHashPerSessionAndStillDetectReuse()
    {
        var (first, _) = Families.Open(User);
        var token = first;
        for (var n = 0; n < 1_000; n++)
        {
            Assert.Equal(RefreshOutcome.Redeemed, Families.Redeem(User, token, out var next));
            token = next!;
        }

        Assert.Single(_state.Families);
        Assert.Equal(RefreshOutcome.Reused, Families.Redeem(User, first, out _));
    }

    [Fact]
    public void Open_ManySignIns_KeepsAtMostMaxSessions_RevokingTheOldest()
    {
        var (oldest, _) = Families.Open(User);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var (second, _) = Families.Open(User);
        for (var n = 0; n < 3_000; n++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            Families.Open(User);
        }
        var (newest, _) = Families.Open(User);

        Assert.Equal(RefreshTokenFamilies.MaxSessions, _state.Families.Count);
        Assert.Equal(RefreshOutcome.Unknown, Families.Redeem(User, oldest, out _));
        Assert.Equal(RefreshOutcome.Unknown, Families.Redeem(User, second, out _));
        Assert.Equal(RefreshOutcome.Redeemed, Families.Redeem(User, newest, out _));
    }

    [Fact]
    public void Redeem_ExpiredToken_IsRefused()
    {
        var (token, _) = Families.Open(User);
        _clock.Advance(RefreshTokenFamilies.RefreshLifetime);

        Assert.Equal(RefreshOutcome.Expired, Families.Redeem(User, token, out _));
    }

    [Fact]
    public void Redeem_UnknownOrForeignToken_IsUnknownAndChangesNothing()
    {
        var (token, stamp) = Families.Open(User);

        Assert.Equal(RefreshOutcome.Unknown, Families.Redeem(User, "user-1.forged", out _));
        Assert.Equal(RefreshOutcome.Unknown, Families.Redeem(User, "user-1.nofamily.secret", out _));
        Assert.Equal(RefreshOutcome.Unknown, Families.Redeem("user-2", token, out _));
        Assert.Equal(stamp, Families.Stamp);
        Assert.Single(_state.Families);
    }

    [Fact]
    public void Open_AfterExpiry_DropsExpiredSessions()
    {
        Families.Open(User);
        _clock.Advance(RefreshTokenFamilies.RefreshLifetime);

        var (token, _) = Families.Open(User);

        Assert.Single(_state.Families);
        Assert.Equal(RefreshOutcome.Redeemed, Families.Redeem(User, token, out _));
    }

    [Fact]
    public void Revoke_OnceThenAgain_ChangesOnlyTheFirstTime()
    {
        var (token, _) = Families.Open(User);

        Assert.True(Families.Revoke(User, token));
        Assert.False(Families.Revoke(User, token));
        Assert.Equal(RefreshOutcome.Unknown, Families.Redeem(User, token, out _));
    }

    [Fact]
    public void RevokeAll_EverySessionEndsAndStampChanges()
    {
        var (first, stamp) = Families.Open(User);
        var (second, _) = Families.Open(User);

        Families.RevokeAll();

        Assert.Empty(_state.Families);
        Assert.NotEqual(stamp, Families.Stamp);
        Assert.Equal(RefreshOutcome.Unknown, Families.Redeem(User, first, out _));
        Assert.Equal(RefreshOutcome.Unknown, Families.Redeem(User, second, out _));
    }

    [Fact]
    public void ChangeStamp_RefreshTokensStayValid()
    {
        var (token, stamp) = Families.Open(User);

        Families.ChangeStamp();

        Assert.NotEqual(stamp, Families.Stamp);
        Assert.Equal(RefreshOutcome.Redeemed, Families.Redeem(User, token, out _));
    }
}
