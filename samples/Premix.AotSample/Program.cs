using AotShop;
using Premix;
using Premix.Mapping;

// Configured like any Premix web app: Premix:shop:Provider (Sqlite or PostgreSql) and ConnectionStrings:shop. The
// generated model is an engine's own (its SQL and readers), so there is one per engine the app runs on (docs/aot.md).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ShopJson.Default));
var postgres = string.Equals(builder.Configuration["Premix:shop:Provider"], "PostgreSql", StringComparison.OrdinalIgnoreCase);
var scanMaps = builder.Configuration.GetValue<bool>("Shop:ScanMaps");
// Off (Shop:GeneratedModel=false) only to show that native AOT refuses to start without it (NativeAotPublishTests).
var useGeneratedModel = builder.Configuration.GetValue("Shop:GeneratedModel", defaultValue: true);
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
        premix.AddModelConfiguration<AuthorMap>().AddModelConfiguration<BookMap>();
    }

    if (useGeneratedModel)
    {
        premix.UseGeneratedModel(postgres ? AotShop.Generated.PostgreSql.PremixModel.Instance : AotShop.Generated.Sqlite.PremixModel.Instance);
    }

    // Raw rows are mapped by Dapper's run-time generated code, which native AOT cannot run: each fetched type gets a reader.
    premix.AddRowReader(row => new AuthorBooks { Author = row.GetString(0), Books = row.GetInt64(1) });
});

var app = builder.Build();
app.MapShop();
await app.RunAsync().ConfigureAwait(false);
