namespace Scheduler.Testing;

/// <summary>The checkout the tests were built from: the first folder above the test output that holds <c>Scheduler.sln</c>.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Scheduler.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Scheduler.sln not found above the test output.");
    }
}
