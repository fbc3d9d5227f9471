using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace Scheduler.Api.Tests.Contract;

/// <summary>A response the OpenAPI document does not describe: the request that got it fails with this.</summary>
public sealed class ContractViolationException(string message) : Exception(message);

/// <summary>
/// Every HTTP test's responses checked against the host's own OpenAPI document, before they leave the host: a
/// response to a documented operation that the document does not describe (a status not listed, a body not matching
/// its schema, an <c>ETag</c>/<c>Location</c>/<c>Retry-After</c> not declared) throws, and the test that sent the
/// request fails with what is wrong. Requests outside the document (health probes, metrics, the UI, a wrong method) pass.
/// </summary>
internal sealed class ContractValidationStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(Validate);
        next(app);
    };

    private static async Task Validate(HttpContext context, RequestDelegate next)
    {
        var contract = context.RequestServices.GetRequiredService<HostContract>().Contract;
        var operation = contract.Operation(context.Request.Method, context.Request.Path.Value ?? "");
        if (operation is null)
        {
            await next(context);
            return;
        }
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        var body = buffer.ToArray();
        var headers = context.Response.Headers;
        var findings = contract.Check(operation, context.Response.StatusCode, context.Response.ContentType, headers.ContainsKey, body);
        if (findings.Count > 0)
        {
            throw new ContractViolationException(
                $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} answered {context.Response.StatusCode}, "
                + $"which the OpenAPI document does not describe:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", findings)
                + $"{Environment.NewLine}body: {System.Text.Encoding.UTF8.GetString(body)}");
        }
        await original.WriteAsync(body);
    }
}

/// <summary>The host's document, generated once (on the first documented request) and serialized as the server serves it.</summary>
internal sealed class HostContract(ISwaggerProvider provider)
{
    private readonly Lazy<OpenApiContract> _contract = new(() => new OpenApiContract(Serialize(provider.GetSwagger("v1"))));

    public OpenApiContract Contract => _contract.Value;

    /// <summary>Whether a documented request has been checked yet (the document is generated for the first).</summary>
    public bool InUse => _contract.IsValueCreated;

    private static string Serialize(OpenApiDocument document)
    {
        using var text = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString();
    }
}

internal static class ContractValidationSetup
{
    public static IServiceCollection AddContractValidation(this IServiceCollection services) => services
        .AddSingleton<HostContract>()
        .AddTransient<IStartupFilter, ContractValidationStartupFilter>();
}
