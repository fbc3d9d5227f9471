using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Scheduler.Api.Tests.Architecture;

/// <summary>The API talks to grains through their interfaces only, so it could run as a separate client tier.</summary>
public sealed class BoundaryTests
{
    private static readonly Assembly Api = typeof(Scheduler.Api.SchedulerApiExtensions).Assembly;
    private static readonly Assembly Abstractions = typeof(Scheduler.Interviewers.IInterviewerGrain).Assembly;
    private static readonly Assembly Grains = typeof(Scheduler.Grains.Interviewers.InterviewerGrain).Assembly;

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

    [Fact]
    public void Api_UsesNoTypeOfTheGrainsAssembly()
    {
        using var pe = new PEReader(File.OpenRead(Api.Location));
        var metadata = pe.GetMetadataReader();

        // Every type the API's code mentions is a type reference, resolved in the assembly it names.
        var references = metadata.TypeReferences.Select(metadata.GetTypeReference).ToArray();
        var fromGrains = references
            .Where(t => ScopeAssembly(metadata, t) == Grains.GetName().Name)
            .Select(t => $"{metadata.GetString(t.Namespace)}.{metadata.GetString(t.Name)}")
            .ToArray();
        var inSignatures = Api.GetTypes().SelectMany(SignatureTypes).Where(t => t.Assembly == Grains).Select(t => t.FullName).ToArray();

        Assert.Contains(references, t => ScopeAssembly(metadata, t) == Abstractions.GetName().Name);
        Assert.Empty(fromGrains);
        Assert.Empty(inSignatures);
    }

    [Fact]
    public void Api_NamesNoGrainClass()
    {
        // A grain class can also be chosen by name (GetGrain's grainClassNamePrefix, Type.GetType): not from the API.
        var grainClasses = Grains.GetTypes().Where(t => t.IsClass && typeof(Orleans.Grain).IsAssignableFrom(t)).ToArray();
        using var pe = new PEReader(File.OpenRead(Api.Location));
        var metadata = pe.GetMetadataReader();
        var strings = new List<string>();
        for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil; handle = metadata.GetNextHandle(handle))
        {
            strings.Add(metadata.GetUserString(handle));
        }

        var named = grainClasses
            .Where(g => strings.Any(s => s.Contains(g.FullName!, StringComparison.Ordinal) || s.Contains(g.Name, StringComparison.Ordinal)))
            .Select(g => g.FullName)
            .ToArray();

        Assert.Contains(grainClasses, g => g.Name == "InterviewerGrain");
        Assert.NotEmpty(strings);
        Assert.Empty(named);
    }

    private static string? ScopeAssembly(MetadataReader metadata, TypeReference type)
    {
        while (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            type = metadata.GetTypeReference((TypeReferenceHandle)type.ResolutionScope);
        }
        return type.ResolutionScope.Kind == HandleKind.AssemblyReference
            ? metadata.GetString(metadata.GetAssemblyReference((AssemblyReferenceHandle)type.ResolutionScope).Name)
            : null;
    }

    private static IEnumerable<Type> SignatureTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var direct = new[] { type.BaseType }.Concat(type.GetInterfaces())
            .Concat(type.GetFields(all).Select(f => f.FieldType))
            .Concat(type.GetProperties(all).Select(p => p.PropertyType))
            .Concat(type.GetMethods(all).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)))
            .Concat(type.GetConstructors(all).SelectMany(c => c.GetParameters().Select(p => p.ParameterType)))
            .OfType<Type>();
        return direct.SelectMany(Expand);

        static IEnumerable<Type> Expand(Type t) => t.HasElementType
            ? Expand(t.GetElementType()!)
            : t.IsGenericType ? t.GetGenericArguments().SelectMany(Expand).Append(t) : [t];
    }

    /// <summary>
    /// Infrastructure knows no grain: the persistence code learns entity types from registrations. A grain class named
    /// in its sources (a typeof, a constant, a cast) fails this test, whichever way it is used.
    /// </summary>
    [Fact]
    public void Persistence_NamesNoGrainClass()
    {
        var grainClasses = Grains.GetTypes().Where(t => t.IsClass && !t.IsAbstract && typeof(Orleans.Grain).IsAssignableFrom(t)).Select(t => t.Name).ToArray();
        Assert.NotEmpty(grainClasses);
        var folder = Path.Combine(RepositoryRoot.Path, "src", "Scheduler.Grains", "Persistence");

        var named = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => grainClasses
                .Where(name => System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(file), $@"\b{name}\b"))
                .Select(name => $"{Path.GetFileName(file)}: {name}"))
            .ToArray();

        Assert.Empty(named);
    }
}
