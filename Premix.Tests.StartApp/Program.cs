// Starts Premix on one engine, reads row 1 of start_items by key and prints it, then the simple names of the assemblies the
// process loaded, one a line (StartAssembliesTests).
//   Premix.Tests.StartApp factory|host sqlite|postgresql|mysql     the connection string in START_APP_CONNECTION
// factory: PremixFactory.Create and a unit of work's get; host: the generic host with AddPremix("Shop") of Premix.Hosting,
// bound from configuration, and AddPremixHealthChecks, started, and a scoped repository's get.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Premix;
using Premix.Mapping;
using Premix.Repositories;
using Premix.Tests.StartApp;

if (args is not [("factory" or "host") and var start, ("sqlite" or "postgresql" or "mysql") and var engine]
    || Environment.GetEnvironmentVariable("START_APP_CONNECTION") is not { Length: > 0 } connectionString)
{
    Console.Error.WriteLine("usage: START_APP_CONNECTION=... Premix.Tests.StartApp factory|host sqlite|postgresql|mysql");
    return 2;
}

var item = start == "factory" ? await FactoryAsync(engine, connectionString) : await HostAsync(engine, connectionString);
Console.WriteLine($"{item.Id} {item.Name}");
foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
{
    Console.WriteLine(assembly.GetName().Name);
}

return 0;

static async Task<StartItem> FactoryAsync(string engine, string connectionString)
{
    await using var premix = PremixFactory.Create(p =>
    {
        _ = engine switch
        {
            "postgresql" => p.UsePostgreSql(connectionString),
            "mysql" => p.UseMySql(connectionString),
            _ => p.UseSqlite(connectionString),
        };
        p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new StartItemMap());
    });
    await using var work = premix.BeginUnitOfWork();
    return await work.Repository<StartItem>().GetAsync(1L);
}

static async Task<StartItem> HostAsync(string engine, string connectionString)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders(); // stdout carries the row and the assemblies only
    builder.Configuration["ConnectionStrings:Shop"] = connectionString;
    builder.Configuration["Premix:Shop:Provider"] = engine switch { "postgresql" => "PostgreSql", "mysql" => "MySql", _ => "Sqlite" };
    builder.AddPremix("Shop", p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new StartItemMap()));
    builder.Services.AddHealthChecks().AddPremixHealthChecks();
    using var host = builder.Build();
    await host.StartAsync();
    try
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IRepository<StartItem>>().GetAsync(1L);
    }
    finally
    {
        await host.StopAsync();
    }
}
