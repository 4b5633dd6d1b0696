using System.Net;
using System.Text;
using System.Text.Json;
using Walkthrough.Play;

namespace Walkthrough.Tests.Play;

/// <summary>A page's side of the playground's API, over real HTTP on loopback.</summary>
internal sealed class PlayClient(Playground playground) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = playground.Address, Timeout = TimeSpan.FromSeconds(60) };

    public HttpClient Http => _http;

    public async Task<string> OpenAsync()
    {
        var (status, json) = await SendAsync(HttpMethod.Post, "/api/sessions");
        Assert.Equal(HttpStatusCode.Created, status);
        return json.GetProperty("session").GetString()!;
    }

    public Task<(HttpStatusCode Status, JsonElement Json)> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body);

    /// <summary>A call that must succeed; its answer.</summary>
    public async Task<JsonElement> CallAsync(string session, string action, object? body = null)
    {
        var (status, json) = await PostAsync($"/api/sessions/{session}/{action}", body);
        Assert.True(status == HttpStatusCode.OK, $"{action}: {(int)status} {json}");
        return json;
    }

    /// <summary>A call that must be refused: its status and the message the page would show.</summary>
    public async Task<(HttpStatusCode Status, string Error)> RefusedAsync(string path, object? body = null)
    {
        var (status, json) = await PostAsync(path, body);
        Assert.False((int)status is >= 200 and < 300, $"{path} was not refused: {(int)status} {json}");
        return (status, json.GetProperty("error").GetString()!);
    }

    public async Task<(HttpStatusCode Status, JsonElement Json)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The scores the state carries for the next token (float32, little-endian, base64).</summary>
    public static float[] Logits(JsonElement state)
    {
        var bytes = Convert.FromBase64String(state.GetProperty("next").GetProperty("logits").GetString()!);
        var logits = new float[bytes.Length / sizeof(float)];
        Buffer.BlockCopy(bytes, 0, logits, 0, bytes.Length);
        return logits;
    }

    public static List<int> StepIds(JsonElement state) => [.. state.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("id").GetInt32())];

    public void Dispose() => _http.Dispose();
}
