using AotShop;
using Premix;
using Premix.Mapping;

// Configured like any Premix web app: Premix:shop:Provider (Sqlite or PostgreSql) and ConnectionStrings:shop. The
// generated model is an engine's own (its SQL and readers), so there is one per engine the app runs on (docs/aot.md).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, ShopJson.Default));
var postgres = string.Equals(builder.Configuration["Premix:shop:Provider"], "PostgreSql", StringComparison.OrdinalIgnoreCase);
builder.AddPremix("shop", premix => premix
    .UseNamingConvention(NamingConvention.SnakeCase)
    .AddModelConfigurationsFrom(typeof(AuthorMap).Assembly)
    .UseGeneratedModel(postgres ? AotShop.Generated.PostgreSql.PremixModel.Instance : AotShop.Generated.Sqlite.PremixModel.Instance));

var app = builder.Build();
app.MapShop();
await app.RunAsync().ConfigureAwait(false);
