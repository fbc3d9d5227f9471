using System.Text.Json.Serialization;
using Scheduler.Events;

namespace Scheduler.Grains.Notifications;

/// <summary>The JSON of domain events' data and notifications' data.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(InterviewEvent))]
[JsonSerializable(typeof(NotificationData))]
internal sealed partial class NotificationJson : JsonSerializerContext;
