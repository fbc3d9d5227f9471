using System.Runtime.CompilerServices;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Tests;

internal static class SqliteThreadingSetup
{
    // The silo makes this choice before its first connection. A test that opens SQLite itself could otherwise run
    // first in this process and leave SQLite serialized for every other test, depending on the order tests run in.
#pragma warning disable CA2255 // A test assembly's own start-up, not a library's.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void ChooseBeforeAnyConnection() => _ = SqliteThreading.MultiThread;
}
