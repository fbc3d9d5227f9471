using System.Text.Json.Serialization;

namespace Scheduler.Grains.Webhooks;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class WebhookJson : JsonSerializerContext;
