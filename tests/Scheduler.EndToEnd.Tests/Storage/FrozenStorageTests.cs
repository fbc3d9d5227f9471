using System.Diagnostics;
using static Scheduler.EndToEnd.Tests.Storage.StorageProbes;

namespace Scheduler.EndToEnd.Tests.Storage;

/// <summary>
/// A frozen file system (<c>fsfreeze</c>): the writes already taken may still commit when it thaws, so they answer
/// <c>change_in_doubt</c>; the writes that come once the storage has stalled are refused at once, certainly not made.
/// </summary>
public sealed class FrozenStorageTests
{
    [Fact]
    public async Task RescheduleAndUpdate_WhileStorageIsFrozen_AnswerChangeInDoubtAndLaterWritesAreRefused()
    {
        using var disk = LoopDisk.Create();
        await using var service = SchedulerProcess.Start(disk.Path);
        try
        {
            await service.WaitUntilHealthy();
            // Longer than the 30 s a grain call may take: the answer, not the client, decides.
            using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
            client.UseTokens(await client.SignIn(SchedulerProcess.AdminEmail, SchedulerProcess.AdminPassword));
            var created = await CreateInterviewer(client, "frozen");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var interviewer = await created.Content.ReadFromJsonAsync<JsonElement>();
            var interviewerId = interviewer.GetProperty("id").GetString()!;
            var other = await CreateInterviewer(client, "unchanged");
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);
            var otherInterviewer = await other.Content.ReadFromJsonAsync<JsonElement>();
            var start = DateTime.UtcNow.Date.AddDays(3).AddHours(10);
            object Booking(DateTime at) => new
            {
                interviewerId,
                title = "Frozen",
                candidateName = "C",
                candidateEmail = "c@example.com",
                startsAt = TestTime.Iso(at),
                endsAt = TestTime.Iso(at.AddMinutes(30)),
            };
            var booked = await client.PostAsJsonAsync("/api/events", Booking(start));
            Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
            var eventId = (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

            // Every grain involved is active: the changes go straight to the writer (on a frozen disk, a read that
            // must load a grain may wait too).
            disk.Freeze();
            var clock = Stopwatch.StartNew();
            var reschedule = client.PutAsJsonAsync($"/api/events/{eventId}", Booking(start.AddHours(1)));
            var update = client.PutAsJsonAsync($"/api/interviewers/{interviewerId}", new
            {
                name = "frozen v2",
                email = interviewer.GetProperty("email").GetString(),
                skills = new[] { "storage" },
            });

            // Once a batch has waited for seconds, readiness fails and new writes are refused without waiting.
            await WaitForReadiness(service, HttpStatusCode.ServiceUnavailable);
            var refusedAt = clock.Elapsed;
            await AssertUnavailable(await client.PutAsJsonAsync($"/api/interviewers/{otherInterviewer.GetProperty("id").GetString()}", new
            {
                name = "refused",
                email = otherInterviewer.GetProperty("email").GetString(),
                skills = new[] { "storage" },
            }), "storage_unavailable");
            Assert.True(clock.Elapsed - refusedAt < TimeSpan.FromSeconds(5), $"The refusal took {clock.Elapsed - refusedAt}.");

            // The reschedule and the update are stuck behind the frozen disk and time out: they may still be made.
            await AssertUnavailable(await reschedule, "change_in_doubt");
            await AssertUnavailable(await update, "change_in_doubt");

            disk.Thaw();
            await WaitForReadiness(service, HttpStatusCode.OK, seconds: 30);
            // Both were made once the disk thawed: "nothing happened, try again" would have been false.
            var moved = new DateTimeOffset(start.AddHours(1), TimeSpan.Zero);
            var startsAt = DateTimeOffset.MinValue;
            for (var deadline = Stopwatch.StartNew(); startsAt != moved && deadline.Elapsed < TimeSpan.FromSeconds(20); await Task.Delay(200))
            {
                startsAt = (await client.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}")).GetProperty("startsAt").GetDateTimeOffset();
            }
            Assert.Equal(moved, startsAt);
            Assert.Equal(["frozen v2", "unchanged"], await Listed(client));
        }
        finally
        {
            disk.Release();
        }
    }
}
