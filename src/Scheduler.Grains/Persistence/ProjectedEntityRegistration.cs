using Microsoft.Extensions.DependencyInjection;

namespace Scheduler.Grains.Persistence;

public static class ProjectedEntityRegistration
{
    /// <summary>Registers <typeparamref name="TGrain"/>'s state <paramref name="stateName"/> as projected into <paramref name="table"/>.</summary>
    public static IServiceCollection AddProjectedEntity<TGrain>(this IServiceCollection services, string stateName, string table)
        where TGrain : IProjectedGrain =>
        services.AddSingleton(new ProjectedEntity(stateName, table, typeof(TGrain).FullName!));
}
