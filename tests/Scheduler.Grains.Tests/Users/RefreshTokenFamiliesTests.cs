using Scheduler.Grains.Users;

namespace Scheduler.Grains.Tests.Users;

public sealed class RefreshTokenFamiliesTests
{
    private readonly SessionState _state = new();
    private readonly ManualClock _clock = new();

    private RefreshTokenFamilies Families => new(_state, _clock);

    [Fact]
    public void Open_NewToken_StoresOnlyItsHashWithStamp()
    {
        var (token, stamp) = Families.Open("user-1", "family-1");

        Assert.StartsWith("user-1.", token, StringComparison.Ordinal);
        Assert.Equal(stamp, Families.Stamp);
        var stored = Assert.Single(_state.RefreshTokens);
        Assert.DoesNotContain(token, stored.Key, StringComparison.Ordinal);
        Assert.Equal("family-1", stored.Value.FamilyId);
    }

    [Fact]
    public void Redeem_ValidToken_SpendsItAndNamesItsFamily()
    {
        var (token, _) = Families.Open("user-1", "family-1");

        var outcome = Families.Redeem(token, out var family);

        Assert.Equal(RefreshOutcome.Redeemed, outcome);
        Assert.Equal("family-1", family);
        Assert.True(Assert.Single(_state.RefreshTokens).Value.Spent);
    }

    [Fact]
    public void Redeem_SpentTokenAgain_RevokesFamilyAndChangesStamp()
    {
        var (first, stamp) = Families.Open("user-1", "family-1");
        Families.Redeem(first, out _);
        var (second, _) = Families.Open("user-1", "family-1");
        Families.Open("user-1", "family-2");

        var outcome = Families.Redeem(first, out var family);

        Assert.Equal(RefreshOutcome.Reused, outcome);
        Assert.Null(family);
        Assert.NotEqual(stamp, Families.Stamp);
        Assert.Equal(RefreshOutcome.Reused, Families.Redeem(second, out _));
        Assert.Single(_state.RefreshTokens.Values, r => !r.Revoked && r.FamilyId == "family-2");
    }

    [Fact]
    public void Redeem_ExpiredToken_IsRefusedAndNotSpent()
    {
        var (token, _) = Families.Open("user-1", "family-1");
        _clock.Advance(RefreshTokenFamilies.RefreshLifetime);

        Assert.Equal(RefreshOutcome.Expired, Families.Redeem(token, out _));
        Assert.False(Assert.Single(_state.RefreshTokens).Value.Spent);
    }

    [Fact]
    public void Redeem_UnknownToken_IsUnknownAndChangesNothing()
    {
        var (_, stamp) = Families.Open("user-1", "family-1");

        Assert.Equal(RefreshOutcome.Unknown, Families.Redeem("user-1.forged", out _));
        Assert.Equal(stamp, Families.Stamp);
        Assert.False(Assert.Single(_state.RefreshTokens).Value.Revoked);
    }

    [Fact]
    public void Open_AfterExpiry_DropsExpiredTokens()
    {
        Families.Open("user-1", "family-1");
        _clock.Advance(RefreshTokenFamilies.RefreshLifetime);

        Families.Open("user-1", "family-2");

        Assert.Equal("family-2", Assert.Single(_state.RefreshTokens).Value.FamilyId);
    }

    [Fact]
    public void Revoke_OnceThenAgain_ChangesOnlyTheFirstTime()
    {
        var (token, _) = Families.Open("user-1", "family-1");

        Assert.True(Families.Revoke(token));
        Assert.False(Families.Revoke(token));
        Assert.Equal(RefreshOutcome.Reused, Families.Redeem(token, out _));
    }

    [Fact]
    public void RevokeAll_EveryTokenRevokedAndStampChanged()
    {
        var (_, stamp) = Families.Open("user-1", "family-1");
        Families.Open("user-1", "family-2");

        Families.RevokeAll();

        Assert.All(_state.RefreshTokens.Values, r => Assert.True(r.Revoked));
        Assert.NotEqual(stamp, Families.Stamp);
    }

    [Fact]
    public void ChangeStamp_RefreshTokensStayValid()
    {
        var (token, stamp) = Families.Open("user-1", "family-1");

        Families.ChangeStamp();

        Assert.NotEqual(stamp, Families.Stamp);
        Assert.Equal(RefreshOutcome.Redeemed, Families.Redeem(token, out _));
    }
}
