using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using Fluid;
using Microsoft.Extensions.Options;

namespace Scheduler.Grains.Notifications;

/// <summary>
/// The messages' wording, in Liquid templates (Fluid): <c>subject</c>, <c>body.txt</c> and <c>body.html</c>, built in,
/// each replaceable by a file of the same name in <see cref="EmailOptions.TemplateDirectory"/>. Values are HTML-encoded
/// in the HTML body, and nothing of them reaches a header unfiltered (<see cref="EmailComposer"/>).
/// </summary>
public sealed class EmailTemplates(IOptions<EmailOptions> options)
{
    private static readonly FluidParser Parser = new();
    private readonly ConcurrentDictionary<string, IFluidTemplate> _templates = new(StringComparer.Ordinal);

    public string Render(string name, IReadOnlyDictionary<string, string?> values, bool html)
    {
        var template = _templates.GetOrAdd(name, Load);
        var context = new TemplateContext();
        foreach (var (key, value) in values)
        {
            context.SetValue(key, value ?? "");
        }
        return template.Render(context, html ? HtmlEncoder.Default : NullEncoder.Default);
    }

    private IFluidTemplate Load(string name)
    {
        var file = options.Value.TemplateDirectory is { } directory ? Path.Combine(directory, $"{name}.liquid") : null;
        string text;
        if (file is not null && File.Exists(file))
        {
            text = File.ReadAllText(file);
        }
        else
        {
            using var stream = typeof(EmailTemplates).Assembly.GetManifestResourceStream($"Scheduler.Grains.Notifications.Templates.{name}.liquid")
                ?? throw new InvalidOperationException($"No email template '{name}'.");
            using var reader = new StreamReader(stream);
            text = reader.ReadToEnd();
        }
        return Parser.TryParse(text, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"Email template '{name}' does not parse: {error}");
    }
}
