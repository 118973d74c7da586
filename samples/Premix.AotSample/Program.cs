using AotShop;
using Premix;
using Premix.AspNetCore;
using Premix.Mapping;
using Premix.Migrations;

// Configured like any Premix web app: Premix:shop:Provider (Sqlite, PostgreSql or MySql) and ConnectionStrings:shop. The
// generated model is an engine's own (its SQL and readers), so there is one per engine the app runs on (docs/aot.md).
// Off unless configured (NativeAotFeatureTests switches them on): Shop:ReadReplicas:0..n (read replicas), Shop:Tenants:<id>
// (a database per tenant, named by the X-Tenant-Id header), Shop:Migrate=true (apply the embedded migrations and exit),
// Shop:BulkInsertRows=n (NativeAotAppTests: the COPY threshold), Shop:CheckSchema=true and Shop:VerifySchema=true (the
// schema comparisons of the health checks and of the start, which native AOT refuses).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ShopJson.Default));
var engine = ShopEngines.Parse(builder.Configuration["Premix:shop:Provider"]);
var scanMaps = builder.Configuration.GetValue<bool>("Shop:ScanMaps");
// Off (Shop:GeneratedModel=false) only to show that native AOT refuses to start without it (NativeAotPublishTests).
var useGeneratedModel = builder.Configuration.GetValue("Shop:GeneratedModel", defaultValue: true);
// Read by hand, not bound: the configuration binder reflects over the target type, which native AOT trims.
var replicas = builder.Configuration.GetSection("Shop:ReadReplicas").GetChildren().Select(r => r.Value).OfType<string>().ToArray();
var tenants = builder.Configuration.GetSection("Shop:Tenants").GetChildren().Where(t => t.Value is not null).ToDictionary(t => t.Key, t => t.Value!, StringComparer.Ordinal);
builder.AddPremix("shop", premix =>
{
    premix.UseNamingConvention(NamingConvention.SnakeCase);
    if (scanMaps)
    {
        // What a trimmed app must not do, kept to show that the build flags it (IL2026) and the start fails clearly.
#pragma warning disable IL2026
        premix.AddModelConfigurationsFrom(typeof(AuthorMap).Assembly);
#pragma warning restore IL2026
    }
    else
    {
        // Trimming keeps the mapping classes an application names.
        premix.AddModelConfiguration<AuthorMap>().AddModelConfiguration<BookMap>().AddModelConfiguration<SaleMap>()
            .AddModelConfiguration<SaleLineMap>().AddModelConfiguration<LineNoteMap>();
    }

    if (useGeneratedModel)
    {
        premix.UseGeneratedModel(engine switch
        {
            ShopEngine.PostgreSql => AotShop.Generated.PostgreSql.PremixModel.Instance,
            ShopEngine.MySql => AotShop.Generated.MySql.PremixModel.Instance,
            _ => AotShop.Generated.Sqlite.PremixModel.Instance,
        });
    }

    // Raw rows are mapped by Dapper's run-time generated code, which native AOT cannot run: each fetched type gets a reader.
    premix.AddRowReader(row => new AuthorBooks { Author = row.GetString(0), Books = row.GetInt64(1) });
    // The new rows of one entity from which a commit sends them by COPY on PostgreSQL (10,000 by default).
    if (builder.Configuration.GetValue<int?>("Shop:BulkInsertRows") is { } bulkInsertRows)
    {
        premix.BulkInsertThreshold(bulkInsertRows);
    }

    if (replicas.Length > 0)
    {
        premix.WithReadReplicas(replicas);
    }

    if (tenants.Count > 0)
    {
        premix.UseTenants(t => t.DatabasePerTenant(tenants));
    }

    if (builder.Configuration.GetValue<bool>("Shop:VerifySchema"))
    {
        premix.VerifySchemaAtStartup();
    }
});
// The readiness check's schema comparison reads the catalog with Dapper's run-time generated mappers: native AOT refuses
// it at startup (Shop:CheckSchema=true shows the refusal); the readiness check then reports the embedded migrations.
builder.Services.AddHealthChecks().AddPremixHealthChecks(o =>
{
    o.CheckSchema = builder.Configuration.GetValue<bool>("Shop:CheckSchema");
    o.CheckMigrations(Migrations());
});
if (tenants.Count > 0)
{
    builder.Services.AddPremixTenantResolver(t => t.FromHeader("X-Tenant-Id"));
    builder.Services.AddPremixProblemDetails();
}

var app = builder.Build();
if (app.Configuration.GetValue<bool>("Shop:Migrate"))
{
    // The one-shot deploy step of docs/migrations.md: migrate, then exit without serving.
    await app.Services.GetRequiredService<IPremix>().MigrateAsync(Migrations()).ConfigureAwait(false);
    return;
}

if (tenants.Count > 0)
{
    app.UseExceptionHandler();
    app.UsePremixTenant();
}

app.MapHealthChecks("/health/live", new() { Predicate = check => check.Tags.Contains("live") });
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
app.MapShop(engine);
app.MapQueries();
app.MapSales();
app.MapLines();
app.MapCompiledQueries();
await app.RunAsync().ConfigureAwait(false);

static MigrationSource Migrations() => MigrationSource.Embedded(typeof(AuthorMap).Assembly, "Premix.AotSample.migrations.");
