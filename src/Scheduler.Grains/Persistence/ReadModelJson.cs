using System.Text.Json.Serialization;

namespace Scheduler.Grains.Persistence;

[JsonSerializable(typeof(string[]))]
internal sealed partial class ReadModelJson : JsonSerializerContext;
