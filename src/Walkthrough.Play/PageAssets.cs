using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Walkthrough.Play;

/// <summary>The page, its style and its script, embedded in the assembly: nothing is fetched from anywhere else.</summary>
internal static class PageAssets
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/play.css", "play.css", "text/css; charset=utf-8"),
        ("/play.js", "play.js", "text/javascript; charset=utf-8"),
    ];

    public static void Map(WebApplication app)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            var bytes = Read(resource);
            app.MapGet(path, (HttpContext http) =>
            {
                http.Response.ContentType = contentType;
                http.Response.Headers.CacheControl = "no-cache";
                return http.Response.Body.WriteAsync(bytes).AsTask();
            });
        }
    }

    /// <summary>An asset's text, for tests that check what the page ships.</summary>
    internal static string Text(string resource) => System.Text.Encoding.UTF8.GetString(Read(resource));

    private static byte[] Read(string resource)
    {
        using var stream = typeof(PageAssets).Assembly.GetManifestResourceStream("Walkthrough.Play.Assets." + resource)
            ?? throw new InvalidOperationException($"The playground's {resource} is missing from the assembly.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
