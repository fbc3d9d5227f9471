using Scheduler.Grains.Users;

namespace Scheduler.Grains.Tests.Users;

public sealed class SignInLockoutTests
{
    private const string Attacker = "203.0.113.7";
    private const string Owner = "198.51.100.20";
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CountFailure_FifthWithinWindow_LocksThatAddressForLockoutTime()
    {
        var lockout = new SignInLockout(new SessionState());

        for (var n = 1; n < SignInLockout.MaxFailures; n++)
        {
            Assert.Null(lockout.CountFailure(Attacker, Start.AddMinutes(n)));
        }
        var locked = lockout.CountFailure(Attacker, Start.AddMinutes(SignInLockout.MaxFailures));

        Assert.Equal(new LockStarted(Attacker, Start.AddMinutes(SignInLockout.MaxFailures) + SignInLockout.LockoutTime), locked);
        Assert.True(lockout.IsLocked(Attacker, Start.AddMinutes(10)));
        Assert.Equal(locked!.Until, lockout.LockedUntil(Start.AddMinutes(10)));
    }

    [Fact]
    public void CountFailure_AnotherAddressLocked_TheOwnersAddressIsNot()
    {
        var lockout = new SignInLockout(new SessionState());

        for (var n = 0; n < SignInLockout.MaxFailures; n++)
        {
            lockout.CountFailure(Attacker, Start);
        }

        Assert.True(lockout.IsLocked(Attacker, Start));
        Assert.False(lockout.IsLocked(Owner, Start));
    }

    [Fact]
    public void CountFailure_ManyAddresses_LockTheAccountOnlyAtTheAccountThreshold()
    {
        var lockout = new SignInLockout(new SessionState());

        LockStarted? last = null;
        for (var n = 1; n < SignInLockout.MaxAccountFailures; n++)
        {
            last = lockout.CountFailure($"10.0.{n / 250}.{n % 250}", Start.AddSeconds(n));
        }
        var lockedBefore = lockout.IsLocked(Owner, Start.AddSeconds(SignInLockout.MaxAccountFailures));
        var account = lockout.CountFailure("10.9.9.9", Start.AddSeconds(SignInLockout.MaxAccountFailures));

        Assert.Null(last);
        Assert.False(lockedBefore);
        Assert.Equal(new LockStarted(null, Start.AddSeconds(SignInLockout.MaxAccountFailures) + SignInLockout.LockoutTime), account);
        Assert.True(lockout.IsLocked(Owner, Start.AddSeconds(SignInLockout.MaxAccountFailures)));
    }

    [Fact]
    public void CountFailure_OldFailuresOutsideWindow_AreForgotten()
    {
        var state = new SessionState();
        var lockout = new SignInLockout(state);
        for (var n = 0; n < SignInLockout.MaxFailures - 1; n++)
        {
            lockout.CountFailure(Attacker, Start);
        }

        var afterWindow = lockout.CountFailure(Owner, Start + SignInLockout.FailureWindow);

        Assert.Null(afterWindow);
        Assert.False(lockout.IsLocked(Attacker, Start + SignInLockout.FailureWindow));
        Assert.Equal([Owner], state.FailuresBySource.Keys);
        Assert.Single(state.FailedSignIns);
    }

    [Fact]
    public void CountFailure_EndlessAddresses_StateStaysBounded()
    {
        var state = new SessionState();
        var lockout = new SignInLockout(state);

        for (var n = 0; n < 10_000; n++)
        {
            var at = Start.AddSeconds(n);
            if (!lockout.IsLocked($"ip-{n}", at))
            {
                lockout.CountFailure($"ip-{n}", at);
            }
        }

        Assert.InRange(state.FailuresBySource.Count, 1, SignInLockout.MaxSources);
        Assert.InRange(state.FailedSignIns.Count, 0, SignInLockout.MaxAccountFailures);
    }

    [Fact]
    public void IsLocked_AfterLockEnds_IsFalse()
    {
        var lockout = new SignInLockout(new SessionState());
        for (var n = 0; n < SignInLockout.MaxFailures; n++)
        {
            lockout.CountFailure(Attacker, Start);
        }

        Assert.True(lockout.IsLocked(Attacker, Start + SignInLockout.LockoutTime - TimeSpan.FromTicks(1)));
        Assert.False(lockout.IsLocked(Attacker, Start + SignInLockout.LockoutTime));
        Assert.Null(lockout.LockedUntil(Start + SignInLockout.LockoutTime));
    }

    [Fact]
    public void Succeeded_ForgetsThatAddressesFailuresOnly()
    {
        var state = new SessionState();
        var lockout = new SignInLockout(state);
        lockout.CountFailure(Attacker, Start);
        lockout.CountFailure(Owner, Start);

        lockout.Succeeded(Owner, Start);

        Assert.Equal([Attacker], state.FailuresBySource.Keys);
    }

    [Fact]
    public void Clear_LockedAccount_LiftsEveryLockAndCount()
    {
        var state = new SessionState();
        var lockout = new SignInLockout(state);
        for (var n = 0; n < SignInLockout.MaxAccountFailures; n++)
        {
            lockout.CountFailure($"10.0.0.{n}", Start);
        }

        lockout.Clear();

        Assert.False(lockout.IsLocked(Attacker, Start));
        Assert.Empty(state.FailedSignIns);
        Assert.Empty(state.FailuresBySource);
        Assert.Null(lockout.CountFailure(Attacker, Start));
    }
}
