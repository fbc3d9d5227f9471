using Microsoft.AspNetCore.Http.HttpResults;
using Scheduler.Api.Authorization;
using Scheduler.Api.Common;
using Scheduler.Api.OpenApi;
using Scheduler.Webhooks;

namespace Scheduler.Api.Webhooks;

public static class WebhooksEndpoints
{
    public const int MaxUrlLength = 2000;

    public static RouteGroupBuilder MapWebhooksEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/webhooks").WithTags("Webhooks").RequireAuthorization(Policies.Admin).RequireWellFormedId("Webhook")
            .CheckIfMatch(static async (grains, id) => (await grains.GetGrain<IWebhooksGrain>(0).Get(id))?.Version);
        group.MapGet("/", List).WithName("ListWebhooks").WithSummary("List webhook subscriptions, newest first (never their secrets)");
        group.MapPost("/", Create).WithName("CreateWebhook")
            .WithSummary("Subscribe a URL to event types (none: all); the signing secret is in this answer only").SendsETag();
        group.MapGet("/{id}", Get).WithName("GetWebhook").WithSummary("Get one webhook subscription (never its secret)").SendsETag();
        group.MapDelete("/{id}", Delete).WithName("DeleteWebhook").WithSummary("Delete a webhook subscription and its delivery log")
            .AcceptsIfMatch();
        group.MapPost("/{id}/rotate-secret", RotateSecret).WithName("RotateWebhookSecret")
            .WithSummary("Replace the signing secret (in this answer only); the previous one also signs for 24 h").SendsETag();
        group.MapPost("/{id}/enable", Enable).WithName("EnableWebhook")
            .WithSummary("Enable a subscription disabled after 24 h of failed deliveries").SendsETag();
        group.MapPost("/{id}/ping", Ping).WithName("PingWebhook").WithSummary("Queue a signed webhook.ping delivery now")
            .Conflicts("webhook_disabled");
        group.MapGet("/{id}/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary("The subscription's delivery log, newest first");
        group.MapGet("/{id}/deliveries/{deliveryId}", Delivery).WithName("GetWebhookDelivery")
            .WithSummary("One delivery with every attempt: times, status codes, errors");
        group.MapPost("/{id}/deliveries/{deliveryId}/redeliver", Redeliver).WithName("RedeliverWebhookDelivery")
            .WithSummary("Send a delivery again now, with the same webhook-id").Conflicts("webhook_disabled");
        return group;
    }

    public static async Task<Results<Ok<ListResponse<WebhookResponse>>, ValidationProblem>> List(IGrainFactory grains, [AsParameters] WebhookListQuery query)
    {
        var validation = new RequestValidation();
        var (take, skip) = validation.Paging(query.Limit, query.Offset);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var page = await grains.GetGrain<IWebhooksGrain>(0).List(take, skip);
        return TypedResults.Ok(ListResponse<WebhookResponse>.From(page, WebhookResponse.From));
    }

    public static async Task<Results<Created<WebhookSecretResponse>, ValidationProblem>> Create(
        CreateWebhookRequest request, IGrainFactory grains, HttpResponse response)
    {
        var validation = new RequestValidation();
        var url = validation.Required("url", request.Url, MaxUrlLength);
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            validation.Add("url", "'url' must be an absolute http or https URL.", "url_not_allowed");
        }
        var types = (request.EventTypes ?? []).Distinct(StringComparer.Ordinal).ToArray();
        if (types.Any(t => !WebhookEventTypes.All.Contains(t, StringComparer.Ordinal)))
        {
            validation.Add("eventTypes", $"'eventTypes' may list: {string.Join(", ", WebhookEventTypes.All)}.");
        }
        var description = validation.Optional("description", request.Description, 500);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var created = await grains.GetGrain<IWebhooksGrain>(0).Create(new NewWebhook(url!, types, description));
        response.SetETag(created.Webhook.Version);
        return TypedResults.Created($"/api/webhooks/{created.Webhook.Id}", WebhookSecretResponse.From(created));
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> Get(string id, IGrainFactory grains, HttpResponse response)
    {
        if (await grains.GetGrain<IWebhooksGrain>(0).Get(id) is not { } webhook)
        {
            return ApiProblems.NotFound("Webhook", id);
        }
        response.SetETag(webhook.Version);
        return TypedResults.Ok(WebhookResponse.From(webhook));
    }

    public static async Task<NoContent> Delete(string id, IGrainFactory grains, HttpRequest request)
    {
        await grains.GetGrain<IWebhooksGrain>(0).Delete(id, request.ExpectedVersion());
        return TypedResults.NoContent();
    }

    public static async Task<Ok<WebhookSecretResponse>> RotateSecret(string id, IGrainFactory grains, HttpResponse response)
    {
        var rotated = await grains.GetGrain<IWebhooksGrain>(0).RotateSecret(id);
        response.SetETag(rotated.Webhook.Version);
        return TypedResults.Ok(WebhookSecretResponse.From(rotated));
    }

    public static async Task<Ok<WebhookResponse>> Enable(string id, IGrainFactory grains, HttpResponse response)
    {
        var enabled = await grains.GetGrain<IWebhooksGrain>(0).Enable(id);
        response.SetETag(enabled.Version);
        return TypedResults.Ok(WebhookResponse.From(enabled));
    }

    public static async Task<Accepted<WebhookDeliveryResponse>> Ping(string id, IGrainFactory grains)
    {
        var delivery = await grains.GetGrain<IWebhooksGrain>(0).Ping(id);
        return TypedResults.Accepted((string?)null, WebhookDeliveryResponse.From(delivery));
    }

    public static async Task<Results<Ok<ListResponse<WebhookDeliveryResponse>>, ValidationProblem>> Deliveries(
        string id, IGrainFactory grains, [AsParameters] WebhookDeliveryListQuery query)
    {
        var validation = new RequestValidation();
        var (take, skip) = validation.Paging(query.Limit, query.Offset);
        var status = validation.OneOf("status", query.Status, WebhookDeliveryStatuses.All);
        if (!validation.IsValid)
        {
            return validation.Problem();
        }
        var page = await grains.GetGrain<IWebhooksGrain>(0).Deliveries(id, status, take, skip);
        return TypedResults.Ok(ListResponse<WebhookDeliveryResponse>.From(page, WebhookDeliveryResponse.From));
    }

    public static async Task<Results<Ok<WebhookDeliveryResponse>, ProblemHttpResult>> Delivery(string id, string deliveryId, IGrainFactory grains) =>
        ResourceIds.IsWellFormed(deliveryId)
            ? TypedResults.Ok(WebhookDeliveryResponse.From(await grains.GetGrain<IWebhooksGrain>(0).Delivery(id, deliveryId)))
            : ApiProblems.NotFound("Delivery", deliveryId);

    public static async Task<Results<Ok<WebhookDeliveryResponse>, ProblemHttpResult>> Redeliver(string id, string deliveryId, IGrainFactory grains) =>
        ResourceIds.IsWellFormed(deliveryId)
            ? TypedResults.Ok(WebhookDeliveryResponse.From(await grains.GetGrain<IWebhooksGrain>(0).Redeliver(id, deliveryId)))
            : ApiProblems.NotFound("Delivery", deliveryId);
}
