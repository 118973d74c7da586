using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Premix.AspNetCore;

namespace Premix.Tests.Errors;

/// <summary>
/// A minimal ASP.NET Core application on Kestrel at a free loopback port, with Premix, <c>AddPremixProblemDetails</c> and
/// <c>UseExceptionHandler</c> as an application would set them up; the tests call it over real HTTP.
/// </summary>
internal sealed class ProblemApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProblemApp(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    /// <summary>
    /// Starts the application with Premix configured by <paramref name="premix"/> (null for none), the endpoints
    /// <paramref name="map"/> adds, and the problem-details options <paramref name="configure"/> sets.
    /// </summary>
    public static async Task<ProblemApp> StartAsync(Action<PremixOptionsBuilder>? premix, Action<WebApplication> map, Action<PremixProblemDetailsOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (premix is not null)
        {
            builder.Services.AddPremix(premix);
        }

        builder.Services.AddPremixProblemDetails(configure);
        var app = builder.Build();
        app.UseExceptionHandler();
        map(app);
        await app.StartAsync();
        return new ProblemApp(app, new Uri(app.Urls.Single()));
    }

    /// <summary>Sends a request and reads the answer's body as JSON (an empty object when there is none).</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.Delta, text,
            text.Length == 0 ? JsonDocument.Parse("{}").RootElement : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>An HTTP answer: status, content type, Retry-After, the body as text and as JSON.</summary>
    internal sealed record Answer(int Status, string? ContentType, TimeSpan? RetryAfter, string Text, JsonElement Json)
    {
        public string? Field(string name) => Json.TryGetProperty(name, out var value) ? value.ToString() : null;
    }
}
