using Scheduler.Grains.Users;

namespace Scheduler.Grains.Tests.Users;

public sealed class SignInLockoutTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void CountFailure_FifthWithinWindow_LocksForLockoutTime()
    {
        var lockout = new SignInLockout(new SessionState());

        for (var n = 1; n < SignInLockout.MaxFailures; n++)
        {
            Assert.Null(lockout.CountFailure(Start.AddMinutes(n)));
        }
        var locked = lockout.CountFailure(Start.AddMinutes(SignInLockout.MaxFailures));

        Assert.Equal(Start.AddMinutes(SignInLockout.MaxFailures) + SignInLockout.LockoutTime, locked);
        Assert.True(lockout.IsLocked(Start.AddMinutes(10)));
        Assert.Equal(locked, lockout.LockedUntil(Start.AddMinutes(10)));
    }

    [Fact]
    public void CountFailure_OldFailuresOutsideWindow_AreForgotten()
    {
        var lockout = new SignInLockout(new SessionState());
        for (var n = 0; n < SignInLockout.MaxFailures - 1; n++)
        {
            lockout.CountFailure(Start);
        }

        var afterWindow = lockout.CountFailure(Start + SignInLockout.FailureWindow);

        Assert.Null(afterWindow);
        Assert.False(lockout.IsLocked(Start + SignInLockout.FailureWindow));
    }

    [Fact]
    public void IsLocked_AfterLockEnds_IsFalse()
    {
        var lockout = new SignInLockout(new SessionState());
        for (var n = 0; n < SignInLockout.MaxFailures; n++)
        {
            lockout.CountFailure(Start);
        }

        Assert.True(lockout.IsLocked(Start + SignInLockout.LockoutTime - TimeSpan.FromTicks(1)));
        Assert.False(lockout.IsLocked(Start + SignInLockout.LockoutTime));
        Assert.Null(lockout.LockedUntil(Start + SignInLockout.LockoutTime));
    }

    [Fact]
    public void Clear_LockedAccount_LiftsLockAndCount()
    {
        var state = new SessionState();
        var lockout = new SignInLockout(state);
        for (var n = 0; n < SignInLockout.MaxFailures; n++)
        {
            lockout.CountFailure(Start);
        }

        lockout.Clear();

        Assert.False(lockout.IsLocked(Start));
        Assert.Empty(state.FailedSignIns);
        Assert.Null(lockout.CountFailure(Start));
    }
}
