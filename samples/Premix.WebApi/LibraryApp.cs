using Premix.AspNetCore;
using Premix.Migrations;
using Premix.WebApi.Library;

namespace Premix.WebApi;

/// <summary>
/// The whole application, built from its arguments and configuration: Premix registered from <c>Premix:library</c> and
/// <c>ConnectionStrings:library</c>, health endpoints, Premix's errors as problem details, and the library's endpoints.
/// </summary>
public static class LibraryApp
{
    /// <summary>The database's name: its configuration section is <c>Premix:library</c>.</summary>
    public const string Database = "library";

    /// <summary>Builds the application; with <c>Library:SyncSchemaAtStart=true</c> it first creates or updates its tables.</summary>
    public static async Task<WebApplication> BuildAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddPremix(Database, p => p.AddModelConfigurationsFrom(typeof(AuthorMap).Assembly));
        builder.Services.AddHealthChecks().AddPremixHealthChecks();
        builder.Services.AddPremixProblemDetails();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.MapHealthChecks("/health/live", new() { Predicate = check => check.Tags.Contains("live") });
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        app.MapLibrary();
        if (app.Configuration.GetValue<bool>("Library:SyncSchemaAtStart"))
        {
            // A sample's convenience: production applications run versioned migrations at deploy time (docs/migrations.md).
            await app.Services.GetRequiredService<IPremix>().SyncAsync().ConfigureAwait(false);
        }

        return app;
    }
}
