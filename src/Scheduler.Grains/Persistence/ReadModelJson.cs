using System.Text.Json.Serialization;

namespace Scheduler.Grains.Persistence;

[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(long[]))]
internal sealed partial class ReadModelJson : JsonSerializerContext;
