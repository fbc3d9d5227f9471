using Scheduler.Api.Auth;
using Scheduler.Common;
using Scheduler.Users;

namespace Scheduler.Api.Tests.Auth;

/// <summary>A session check that cannot reach the user's grain: the request it guards never ran.</summary>
public sealed class SessionStampsTests
{
    [Theory]
    [InlineData(typeof(SiloUnavailableException))]
    [InlineData(typeof(TimeoutException))]
    public async Task IsCurrent_UserGrainUnreachable_ThrowsCallNotCarriedOut(Type failure)
    {
        var cause = (Exception)Activator.CreateInstance(failure, "the user grain's silo is leaving")!;
        var stamps = new SessionStamps(GrainsFailingWith(cause), TimeProvider.System);

        var error = await Assert.ThrowsAsync<CallNotCarriedOutException>(async () => await stamps.IsCurrent("user-1", "stamp"));

        Assert.Same(cause, error.InnerException);
    }

    [Fact]
    public async Task IsCurrent_UserGrainFailsOtherwise_LetsTheErrorStand()
    {
        var cause = new InvalidOperationException("a bug");
        var stamps = new SessionStamps(GrainsFailingWith(cause), TimeProvider.System);

        Assert.Same(cause, await Assert.ThrowsAsync<InvalidOperationException>(async () => await stamps.IsCurrent("user-1", "stamp")));
    }

    /// <summary>A grain factory whose user grains' lease calls fail with <paramref name="error"/>.</summary>
    private static IGrainFactory GrainsFailingWith(Exception error)
    {
        var user = Proxy<IUserGrain>.Create((method, _) => method.Name == nameof(IUserGrain.GetSessionLease)
            ? Task.FromException<SessionLease>(error)
            : throw new NotSupportedException(method.Name));
        return Proxy<IGrainFactory>.Create((method, _) => method.Name == nameof(IGrainFactory.GetGrain) && method.ReturnType == typeof(IUserGrain)
            ? user
            : throw new NotSupportedException(method.Name));
    }
}
