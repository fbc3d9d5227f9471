using Microsoft.Extensions.DependencyInjection;

namespace Scheduler.Grains.Persistence;

public static class ProjectedEntityRegistration
{
    /// <summary>Registers the state <paramref name="stateName"/> as committed with one row of <paramref name="table"/>.</summary>
    public static IServiceCollection AddProjectedEntity(this IServiceCollection services, string stateName, string table) =>
        services.AddSingleton(new ProjectedEntity(stateName, table));
}
