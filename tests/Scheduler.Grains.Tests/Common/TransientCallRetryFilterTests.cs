using System.Reflection;
using Scheduler.Common;
using Scheduler.Grains.Common;
using Scheduler.Interviewers;
using Scheduler.Users;

namespace Scheduler.Grains.Tests.Common;

public sealed class TransientCallRetryFilterTests
{
    private static readonly MethodInfo Write = typeof(IInterviewerGrain).GetMethod(nameof(IInterviewerGrain.Reserve))!;
    private static readonly MethodInfo Create = typeof(IInterviewerGrain).GetMethod(nameof(IInterviewerGrain.Create))!;
    private static readonly MethodInfo Read = typeof(IInterviewerGrain).GetMethod(nameof(IInterviewerGrain.Get))!;

    [Fact]
    public async Task WriteCall_CalleeChangedNothing_IsSentAgain()
    {
        var call = FakeCall.For(Write, attempt => attempt == 0 ? Unreachable() : null);

        await new TransientCallRetryFilter().Invoke(call.Context);

        Assert.Equal(2, call.Attempts);
    }

    [Fact]
    public async Task WriteCall_SiloUnavailable_IsNotSentAgain()
    {
        // The silo may have run it before it went away: only the callee can say it changed nothing.
        var call = FakeCall.For(Write, _ => new SiloUnavailableException("gone"));

        await Assert.ThrowsAsync<SiloUnavailableException>(() => new TransientCallRetryFilter().Invoke(call.Context));

        Assert.Equal(1, call.Attempts);
    }

    [Fact]
    public async Task WriteCall_ChangeInDoubt_IsNotSentAgain()
    {
        // The callee ran and recorded its change; only the call it made next failed.
        var call = FakeCall.For(Write, _ => new ChangeInDoubtException("recorded, not confirmed", new SiloUnavailableException("nested")));

        await Assert.ThrowsAsync<ChangeInDoubtException>(() => new TransientCallRetryFilter().Invoke(call.Context));

        Assert.Equal(1, call.Attempts);
    }

    [Fact]
    public async Task CreateOfAFreshGrain_SentAgain_GoesWithoutTheFreshMark()
    {
        // The first attempt may have stored the grain: the second one's activation must read it.
        var grain = GrainId.Create("interviewer", Guid.NewGuid().ToString("N"));
        var marked = new List<bool>();
        var call = FakeCall.For(Create, attempt =>
        {
            marked.Add(FreshGrain.IsAnnounced(grain));
            return attempt == 0 ? new SiloUnavailableException("gone") : null;
        });

        using (FreshGrain.Announce(grain))
        {
            await new TransientCallRetryFilter().Invoke(call.Context);
        }

        Assert.Equal([true, false], marked);
        Assert.False(FreshGrain.IsAnnounced(grain));
    }

    [Fact]
    public async Task ReadOnlyCall_SiloUnavailable_IsSentAgain()
    {
        var call = FakeCall.For(Read, attempt => attempt == 0 ? new SiloUnavailableException("gone") : null);

        await new TransientCallRetryFilter().Invoke(call.Context);

        Assert.Equal(2, call.Attempts);
    }

    [Fact]
    public async Task SessionLeaseRead_SiloUnavailable_IsSentAgain()
    {
        // Every authenticated request may ask for a lease: one whose user grain's silo is leaving must not fail.
        var call = FakeCall.For(typeof(IUserGrain).GetMethod(nameof(IUserGrain.GetSessionLease))!,
            attempt => attempt == 0 ? new SiloUnavailableException("leaving") : null);

        await new TransientCallRetryFilter().Invoke(call.Context);

        Assert.Equal(2, call.Attempts);
    }

    [Fact]
    public async Task CalendarFeedIssue_SiloUnavailable_IsSentAgain()
    {
        // GET /api/interviewers/{id}/calendar-feed: the secret is stored on first use, and a second call answers it.
        var call = FakeCall.For(typeof(IInterviewerGrain).GetMethod(nameof(IInterviewerGrain.CalendarFeed))!,
            attempt => attempt == 0 ? new SiloUnavailableException("leaving") : null);

        await new TransientCallRetryFilter().Invoke(call.Context);

        Assert.Equal(2, call.Attempts);
    }

    [Fact]
    public async Task ReadOnlyCall_SiloUnavailableForSeconds_IsRetriedUntilItAnswers()
    {
        // A silo killed outright: its grains answer nothing until the cluster declares it dead (seconds).
        var call = FakeCall.For(Read, attempt => attempt < 6 ? new SiloUnavailableException("gone") : null);

        await new TransientCallRetryFilter().Invoke(call.Context);

        Assert.Equal(7, call.Attempts);
    }

    [Fact]
    public async Task WriteCall_NeverCarriedOut_FailsAfterThreeRetries()
    {
        var call = FakeCall.For(Write, _ => Unreachable());

        await Assert.ThrowsAsync<CallNotCarriedOutException>(() => new TransientCallRetryFilter().Invoke(call.Context));

        Assert.Equal(4, call.Attempts);
    }

    private static CallNotCarriedOutException Unreachable() => new("not carried out", new SiloUnavailableException("leaving"));

    private sealed class FakeCall
    {
        public required IOutgoingGrainCallContext Context { get; init; }

        public int Attempts { get; private set; }

        /// <summary>A call to <paramref name="method"/> whose attempt n fails with the exception <paramref name="outcome"/> gives (none: succeeds).</summary>
        public static FakeCall For(MethodInfo method, Func<int, Exception?> outcome)
        {
            FakeCall? call = null;
            call = new FakeCall
            {
                Context = Proxy<IOutgoingGrainCallContext>.Create((member, _) => member.Name switch
                {
                    "get_InterfaceMethod" => method,
                    nameof(IOutgoingGrainCallContext.Invoke) => outcome(call!.Attempts++) is { } error ? Task.FromException(error) : Task.CompletedTask,
                    _ => throw new NotSupportedException(member.Name),
                }),
            };
            return call;
        }
    }
}
