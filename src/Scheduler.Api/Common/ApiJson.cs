using System.Text.Json;
using System.Text.Json.Serialization;
using Scheduler.Api.Audit;
using Scheduler.Api.Auth;
using Scheduler.Api.CalendarFeeds;
using Scheduler.Api.Events;
using Scheduler.Api.Interviewers;
using Scheduler.Api.Live;
using Scheduler.Api.Notifications;
using Scheduler.Api.Users;
using Scheduler.Api.Webhooks;

namespace Scheduler.Api.Common;

/// <summary>
/// Source-generated JSON for the API's request and response bodies, with the options the endpoints use (web
/// defaults, no trailing commas): metadata without reflection, and responses written by generated code rather than
/// through the reflection-built converters. A type missing here still works, through the reflection resolver after it.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowTrailingCommas = false)]
[JsonSerializable(typeof(InterviewerRequest))]
[JsonSerializable(typeof(InterviewerResponse))]
[JsonSerializable(typeof(ListResponse<InterviewerResponse>))]
[JsonSerializable(typeof(EventRequest))]
[JsonSerializable(typeof(CancelEventRequest))]
[JsonSerializable(typeof(EventResponse))]
[JsonSerializable(typeof(ListResponse<EventResponse>))]
[JsonSerializable(typeof(AvailabilityResponse))]
[JsonSerializable(typeof(CalendarResponse))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(RefreshRequest))]
[JsonSerializable(typeof(ChangePasswordRequest))]
[JsonSerializable(typeof(OidcSignInRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(ResetPasswordRequest))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(ListResponse<UserResponse>))]
[JsonSerializable(typeof(ListResponse<AuditLogResponse>))]
[JsonSerializable(typeof(NotificationResponse))]
[JsonSerializable(typeof(ListResponse<NotificationResponse>))]
[JsonSerializable(typeof(CreateWebhookRequest))]
[JsonSerializable(typeof(WebhookResponse))]
[JsonSerializable(typeof(WebhookSecretResponse))]
[JsonSerializable(typeof(ListResponse<WebhookResponse>))]
[JsonSerializable(typeof(WebhookDeliveryResponse))]
[JsonSerializable(typeof(ListResponse<WebhookDeliveryResponse>))]
[JsonSerializable(typeof(LiveMessage))]
[JsonSerializable(typeof(CalendarFeedResponse))]
internal sealed partial class ApiJson : JsonSerializerContext;
