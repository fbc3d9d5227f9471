using System.Diagnostics;

namespace Scheduler.EndToEnd.Tests.Deployment;

public sealed class ComposeFileTests
{
    [Fact]
    public async Task DockerCompose_ClusterFile_Validates_WithTwoSilosBehindTheLoadBalancer()
    {
        var root = RepositoryRoot.Path;
        var start = new ProcessStartInfo("docker-compose") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-f", "docker-compose.yml", "config" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["JWT_SECRET"] = "compose-validation-secret-0123456789abcdef";
        start.Environment["ADMIN_PASSWORD"] = "compose-validation-password";
        start.Environment["POSTGRES_PASSWORD"] = "compose-validation-db-password";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, await error);
        var config = await output;
        Assert.Contains("replicas: 2", config, StringComparison.Ordinal);
        Assert.Contains("Orleans__Clustering: AdoNet", config, StringComparison.Ordinal);
        Assert.Contains("Storage__Provider: PostgreSql", config, StringComparison.Ordinal);
        Assert.Contains("loadbalancer:", config, StringComparison.Ordinal);
        Assert.Contains("otel-collector:", config, StringComparison.Ordinal);
        Assert.Contains("prometheus:", config, StringComparison.Ordinal);
        Assert.Contains("grafana:", config, StringComparison.Ordinal);
    }
}
