using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Scheduler.Api.Tests.Contract;

/// <summary>
/// The served OpenAPI document as a checker of responses: the operation a request is for, and whether a response is
/// one it describes (status listed, body matching its schema, headers declared). Stricter than a client must be:
/// an object may carry only the members its schema declares, so a member the server sends without documenting it
/// fails too (the document itself lets clients ignore unknown members).
/// </summary>
public sealed class OpenApiContract
{
    private static readonly string[] CheckedHeaders = ["ETag", "Location", "Retry-After"];

    private readonly JsonObject _document;
    private readonly JsonObject _definitions;
    private readonly (Regex Path, int Literals, JsonObject Item)[] _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    public OpenApiContract(string documentJson)
    {
        _document = JsonNode.Parse(documentJson)!.AsObject();
        _paths = [.. _document["paths"]!.AsObject().Select(p => (
            new Regex("^" + Regex.Replace(Regex.Escape(p.Key), @"\\\{[^/]+?}", "[^/]+") + "$", RegexOptions.CultureInvariant),
            p.Key.Split('/').Count(s => !s.StartsWith('{')),
            p.Value!.AsObject()))];
        // Component schemas as JSON Schema definitions, closed: a member nobody declared is a finding.
        var text = _document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        _definitions = JsonNode.Parse(text)!.AsObject();
        foreach (var (_, schema) in _definitions)
        {
            Close(schema);
        }
    }

    public JsonObject Document => _document;

    /// <summary>The operation for <paramref name="method"/> on <paramref name="path"/>, or null when the document has none.</summary>
    public JsonObject? Operation(string method, string path)
    {
        var match = _paths.Where(p => p.Path.IsMatch(path)).OrderByDescending(p => p.Literals).FirstOrDefault();
        return match.Item?[method.ToLowerInvariant()] as JsonObject;
    }

    /// <summary>What in a response the operation does not describe; empty when it describes all of it.</summary>
    public IReadOnlyList<string> Check(JsonObject operation, int status, string? contentType, Func<string, bool> hasHeader, byte[] body)
    {
        var findings = new List<string>();
        var responses = operation["responses"]!.AsObject();
        if ((responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses["default"]) is not JsonObject response)
        {
            findings.Add($"status {status} is not listed (listed: {string.Join(", ", responses.Select(r => r.Key))})");
            return findings;
        }
        var declaredHeaders = response["headers"] as JsonObject;
        foreach (var header in CheckedHeaders.Where(hasHeader))
        {
            if (declaredHeaders?.Any(h => string.Equals(h.Key, header, StringComparison.OrdinalIgnoreCase)) != true)
            {
                findings.Add($"header {header} is sent but not declared for {status}");
            }
        }
        foreach (var (name, header) in declaredHeaders ?? [])
        {
            if (header?["required"]?.GetValue<bool>() == true && !hasHeader(name))
            {
                findings.Add($"header {name} is declared required for {status} but not sent");
            }
        }
        if (body.Length == 0)
        {
            return findings;
        }
        var mediaType = contentType?.Split(';')[0].Trim();
        if (mediaType is null || response["content"]?[mediaType]?["schema"] is not JsonNode schema)
        {
            findings.Add($"a body of type '{mediaType}' is not described for {status}");
            return findings;
        }
        if (!mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            return findings; // a text body (an iCalendar file): its media type is described, its schema is a string
        }
        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            findings.Add($"the body of {status} is not JSON");
            return findings;
        }
        var result = SchemaFor(schema).Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (!result.IsValid)
        {
            findings.AddRange((result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{status} body at '{d.InstanceLocation}': {e.Value} ({d.EvaluationPath})"))
                .Take(10));
            if (findings.Count == 0)
            {
                findings.Add($"{status} body does not match its schema");
            }
        }
        return findings;
    }

    private JsonSchema SchemaFor(JsonNode schema)
    {
        var key = schema.ToJsonString();
        return _schemas.GetOrAdd(key, _ =>
        {
            var root = JsonNode.Parse(key.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal))!.AsObject();
            Close(root);
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            root["$defs"] = _definitions.DeepClone();
            return JsonSchema.FromText(root.ToJsonString());
        });
    }

    /// <summary>Adds <c>additionalProperties: false</c> wherever an object schema lists properties and says nothing else.</summary>
    private static void Close(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject schema:
                if (schema["properties"] is JsonObject && !schema.ContainsKey("additionalProperties"))
                {
                    schema["additionalProperties"] = false;
                }
                foreach (var (_, child) in schema.ToArray())
                {
                    Close(child);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Close(item);
                }
                break;
            default:
                break;
        }
    }
}
