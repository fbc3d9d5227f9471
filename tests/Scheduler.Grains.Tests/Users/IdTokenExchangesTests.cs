using Scheduler.Grains.Users;

namespace Scheduler.Grains.Tests.Users;

public sealed class IdTokenExchangesTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryRecord_SameTokenTwice_SecondIsRefused()
    {
        var exchanges = new IdTokenExchanges(new SessionState());

        Assert.True(exchanges.TryRecord("hash-1", Start.AddHours(1), Start));
        Assert.False(exchanges.TryRecord("hash-1", Start.AddHours(1), Start.AddMinutes(30)));
        Assert.True(exchanges.TryRecord("hash-2", Start.AddHours(1), Start.AddMinutes(30)));
    }

    [Fact]
    public void TryRecord_ExpiredTokens_AreForgotten()
    {
        var state = new SessionState();
        var exchanges = new IdTokenExchanges(state);
        for (var n = 0; n < 100; n++)
        {
            exchanges.TryRecord($"hash-{n}", Start.AddMinutes(n + 1), Start.AddMinutes(n));
        }

        exchanges.TryRecord("last", Start.AddHours(3), Start.AddHours(2));

        Assert.Equal(["last"], state.ExchangedIdTokens.Keys);
    }
}
