using Premix;
using Premix.Mapping;
using Premix.Migrations;
using Premix.Repositories;
using Premix.Tests.WebApp;

var builder = WebApplication.CreateBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Shop")
    ?? throw new InvalidOperationException("ConnectionStrings:Shop is not configured.");
builder.Services.AddPremix(premix =>
{
    _ = builder.Configuration["Premix:Provider"] switch
    {
        "postgresql" => premix.UsePostgreSql(connectionString),
        "mysql" => premix.UseMySql(connectionString),
        _ => premix.UseSqlite(connectionString),
    };
    premix.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfigurationsFrom(typeof(WebCustomer).Assembly);
    switch (builder.Configuration["Premix:DynamicCodeOffModel"])
    {
        // What the model build refuses while dynamic code is off: a strongly typed id by convention and a value object.
        case "convention":
            premix.AddModelConfiguration(new WebLedgerMap(ownsBalance: true));
            break;

        // The way out for the id: its converter registered, which makes nothing at run time.
        case "registered":
            premix.AddModelConfiguration(new WebLedgerMap(ownsBalance: false)).Convert(ValueConverters.StronglyTypedId<WebAccountId, long>());
            break;
    }

    premix.VerifySchemaAtStartup(); // as production apps do: the premix tool, building this host, must not run it
    if (builder.Configuration.GetValue<bool>("Premix:StaleGeneratedModel"))
    {
        // A generated model that no longer fits the mapping (here: one without its entities), which refuses the start:
        // premix optimize must still read this AddPremix to regenerate it (CliOptimizeTests).
        premix.UseGeneratedModel(new Premix.Plans.GeneratedModel("sqlite", Premix.Plans.GeneratedModel.CurrentFormat, []));
    }
});
builder.Services.AddHealthChecks().AddCheck<ShopHealthCheck>("shop");

var app = builder.Build();
app.MapHealthChecks("/health");
app.MapGet("/customers/{id:long}", async (long id, IRepository<WebCustomer> customers, CancellationToken cancellationToken) =>
    await customers.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } customer ? Results.Ok(customer) : Results.NotFound());
await app.RunAsync().ConfigureAwait(false);
