using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Scheduler.Api.Tests.Contract;

/// <summary>
/// The served document written where the npm tools of <c>tests/contract-ts</c> read it (versions pinned in its
/// package-lock.json, installed with <c>npm ci</c> when missing).
/// </summary>
public sealed class ContractToolsFixture : SchedulerApiFactory
{
    public static string Folder { get; } = System.IO.Path.Combine(RepositoryRoot.Path, "tests", "contract-ts");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var client = CreateClient();
        var document = await client.GetStringAsync("/swagger/v1/swagger.json");
        await File.WriteAllTextAsync(System.IO.Path.Combine(Folder, "openapi.json"), document);
        if (!File.Exists(System.IO.Path.Combine(Folder, "node_modules", ".package-lock.json")))
        {
            var (code, output) = await OpenApiToolingTests.Run("npm", "ci --no-audit --no-fund");
            Assert.True(code == 0, "npm ci failed:" + Environment.NewLine + output);
        }
    }
}

/// <summary>The document as the tools a SPA team uses read it: two linters, and a typed client compiled with tsc --strict.</summary>
public sealed class OpenApiToolingTests(ContractToolsFixture fixture) : IClassFixture<ContractToolsFixture>
{
    [Fact]
    public async Task Document_PassesRedoclyLint_WithNoErrors()
    {
        Assert.NotNull(fixture);
        var (code, output) = await Run(Tool("redocly"), "lint --config redocly.yaml --format stylish openapi.json");

        Assert.True(code == 0, "redocly lint:" + Environment.NewLine + output);
    }

    [Fact]
    public async Task Document_PassesSpectralOasRuleset_WithNoErrors()
    {
        Assert.NotNull(fixture);
        var (code, output) = await Run(Tool("spectral"), "lint --ruleset .spectral.yaml --fail-severity error --format text openapi.json");

        Assert.True(code == 0, "spectral lint:" + Environment.NewLine + output);
    }

    [Fact]
    public async Task TypedClient_CompilesUnderStrict_WithoutNonNullAssertionsOrCasts()
    {
        Assert.NotNull(fixture);
        var source = await File.ReadAllTextAsync(Path.Combine(ContractToolsFixture.Folder, "src", "client.ts"));
        var code = string.Join('\n', source.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal)));
        Assert.DoesNotMatch(new Regex(@"\bas\s+(?!const\b)[A-Za-z{(\[]"), code);
        Assert.DoesNotMatch(new Regex(@"[\w\)\]]!(?![=])"), code);
        Assert.DoesNotMatch(new Regex(@"<[A-Z][A-Za-z]*>\s*[a-z(]"), code);

        var (generated, generation) = await Run(Tool("openapi-typescript"), "openapi.json --output generated/schema.ts");
        Assert.True(generated == 0, "openapi-typescript:" + Environment.NewLine + generation);
        var (compiled, output) = await Run(Tool("tsc"), "--project tsconfig.json");

        Assert.True(compiled == 0, "tsc --strict:" + Environment.NewLine + output);
    }

    private static string Tool(string name) => Path.Combine(ContractToolsFixture.Folder, "node_modules", ".bin", name);

    internal static async Task<(int Code, string Output)> Run(string command, string arguments)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = ContractToolsFixture.Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NO_COLOR"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
