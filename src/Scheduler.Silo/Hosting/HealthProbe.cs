namespace Scheduler.Silo.Hosting;

/// <summary>
/// <c>Scheduler.Silo probe URL</c>: exits 0 when the URL answers 2xx within 3 s, else 1. For container health
/// checks in images that carry no curl.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> Run(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            return (await client.GetAsync(url)).IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
