using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Scheduler.Grains.Persistence;

namespace Scheduler.Grains.Calendars;

/// <summary>
/// The Data Protection key ring in the <c>data_protection_keys</c> table, so that every silo of the cluster reads
/// the keys that protected a credential on another.
/// </summary>
public sealed class DatabaseXmlRepository(ReadModelQueries queries, DatabaseWriter writer) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => queries.Run(session =>
    {
        var command = session.Command("SELECT xml FROM data_protection_keys ORDER BY name");
        var elements = new List<XElement>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }
        return elements;
    });

    // Key creation is rare (once per key lifetime); the key manager calls this synchronously.
    public void StoreElement(XElement element, string friendlyName) => writer.Run(session =>
    {
        var insert = session.Command("INSERT INTO data_protection_keys (name, xml) VALUES (@name, @xml) ON CONFLICT DO NOTHING");
        insert.Add("@name", string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName);
        insert.Add("@xml", element.ToString(SaveOptions.DisableFormatting));
        return insert.ExecuteNonQuery();
    }).GetAwaiter().GetResult();
}
