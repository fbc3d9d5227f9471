namespace Scheduler.Api.OpenApi;

/// <summary>
/// What an endpoint answers beyond its handler's signature: the headers it reads and sends and the conflicts it can
/// report. Set with the builder extensions below, next to the endpoint's mapping; <see cref="OperationContract"/> turns
/// it into the OpenAPI operation's parameters, responses and headers.
/// </summary>
public sealed class ContractMetadata
{
    /// <summary>Its successful responses carry the resource's version as a strong <c>ETag</c>.</summary>
    public bool SendsETag { get; set; }

    /// <summary>It honours <c>If-Match</c> (412 when no tag matches, 400 when the header is malformed).</summary>
    public bool AcceptsIfMatch { get; set; }

    /// <summary>It reads <c>Idempotency-Key</c>.</summary>
    public bool AcceptsIdempotencyKey { get; set; }

    /// <summary>It changes a calendar (a booking's durable intent, a panel, cancellations): it can answer 503 <c>change_in_doubt</c>.</summary>
    public bool ChangesBooking { get; set; }

    /// <summary>Its 200 carries an <c>ETag</c> of the content, and a matching <c>If-None-Match</c> gets a 304 instead.</summary>
    public bool Revalidates { get; set; }

    /// <summary>The <c>code</c>s of its 409 answers.</summary>
    public List<string> ConflictCodes { get; } = [];
}

public static class ContractMetadataExtensions
{
    public static TBuilder SendsETag<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Contract(c => c.SendsETag = true);

    public static TBuilder AcceptsIfMatch<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Contract(c => c.AcceptsIfMatch = true);

    public static TBuilder AcceptsIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Contract(c => c.AcceptsIdempotencyKey = true);

    public static TBuilder ChangesBooking<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Contract(c => c.ChangesBooking = true);

    public static TBuilder Revalidates<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.Contract(c => c.Revalidates = true);

    /// <summary>The endpoint answers 409 with these <c>code</c>s.</summary>
    public static TBuilder Conflicts<TBuilder>(this TBuilder builder, params string[] codes) where TBuilder : IEndpointConventionBuilder =>
        builder.Contract(c => c.ConflictCodes.AddRange(codes.Except(c.ConflictCodes, StringComparer.Ordinal)));

    // One metadata object per endpoint, which group and endpoint conventions both add to.
    private static TBuilder Contract<TBuilder>(this TBuilder builder, Action<ContractMetadata> change) where TBuilder : IEndpointConventionBuilder
    {
        builder.Add(endpoint =>
        {
            var contract = endpoint.Metadata.OfType<ContractMetadata>().FirstOrDefault();
            if (contract is null)
            {
                contract = new ContractMetadata();
                endpoint.Metadata.Add(contract);
            }
            change(contract);
        });
        return builder;
    }
}
