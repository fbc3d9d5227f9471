using System.Reflection;
using System.Xml.Linq;

namespace Scheduler.Api.Tests.Architecture;

/// <summary>The API talks to grains through their interfaces only, so it could run as a separate client tier.</summary>
public sealed class BoundaryTests
{
    private static readonly Assembly Api = typeof(Scheduler.Api.SchedulerApiExtensions).Assembly;
    private static readonly Assembly Abstractions = typeof(Scheduler.Interviewers.IInterviewerGrain).Assembly;

    [Theory]
    [InlineData("Scheduler.Grains")]
    [InlineData("Scheduler.Silo")]
    [InlineData("Microsoft.Data.Sqlite")]
    [InlineData("Orleans.Persistence.AdoNet")]
    [InlineData("Orleans.Runtime")]
    public void Api_DoesNotReference(string forbidden)
    {
        var references = Api.GetReferencedAssemblies().Select(a => a.Name);

        Assert.DoesNotContain(forbidden, references);
    }

    [Fact]
    public void Api_ProjectReferencesOnlyTheAbstractions()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot.Path, "src", "Scheduler.Api", "Scheduler.Api.csproj"));

        var references = project.Descendants("ProjectReference").Select(r => Path.GetFileName(r.Attribute("Include")!.Value.Replace('\\', '/')));

        Assert.Equal(["Scheduler.Grains.Abstractions.csproj"], references);
    }

    [Fact]
    public void Abstractions_ReferenceNoImplementationOrDataAccess()
    {
        var references = Abstractions.GetReferencedAssemblies().Select(a => a.Name!).ToArray();

        Assert.DoesNotContain(references, r => r.StartsWith("Scheduler.", StringComparison.Ordinal));
        Assert.DoesNotContain(references, r => r.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void Api_TypesNeverTouchSqlTypes()
    {
        var leaks = Api.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType))
            .Where(t => t.Namespace?.StartsWith("System.Data", StringComparison.Ordinal) == true)
            .ToArray();

        Assert.Empty(leaks);
    }
}
