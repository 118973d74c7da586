// Starts Premix on one engine, reads row 1 of start_items by key and prints it, then the simple names of the assemblies the
// process loaded, one a line (StartAssembliesTests).
//   Premix.Tests.StartApp factory|host sqlite|postgresql|mysql     the connection string in START_APP_CONNECTION
// factory: PremixFactory.Create and a unit of work's get; host: the generic host with AddPremix("Shop") of Premix.Hosting,
// bound from configuration, and AddPremixHealthChecks, started, and a scoped repository's get.
//   Premix.Tests.StartApp ledger sqlite|postgresql|mysql            the same, START_APP_GENERATED_MODEL optional
// ledger: PremixFactory.Create with StartLedgerMap (a value object), on the generated model compiled into the assembly at
// START_APP_GENERATED_MODEL (class PremixGenerated.PremixModel) when it is set; two ledgers inserted (one without a balance),
// read back by key and by a member of the value object, one member changed, and each printed as "ledger ID NAME BALANCE";
// then the balances of the ledgers named partial (rows the test writes) selected whole, printed as "partial BALANCE,..."
// (DynamicCodeOffValueObjectTests, which runs it with dynamic code off).
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Premix;
using Premix.Mapping;
using Premix.Repositories;
using Premix.Tests.StartApp;

if (args is not [("factory" or "host" or "ledger") and var start, ("sqlite" or "postgresql" or "mysql") and var engine]
    || Environment.GetEnvironmentVariable("START_APP_CONNECTION") is not { Length: > 0 } connectionString)
{
    Console.Error.WriteLine("usage: START_APP_CONNECTION=... Premix.Tests.StartApp factory|host|ledger sqlite|postgresql|mysql");
    return 2;
}

if (start == "ledger")
{
    await LedgerAsync(engine, connectionString, Environment.GetEnvironmentVariable("START_APP_GENERATED_MODEL"));
    return 0;
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

static async Task LedgerAsync(string engine, string connectionString, string? generatedModel)
{
    await using var premix = PremixFactory.Create(p =>
    {
        _ = engine switch
        {
            "postgresql" => p.UsePostgreSql(connectionString),
            "mysql" => p.UseMySql(connectionString),
            _ => p.UseSqlite(connectionString),
        };
        p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new StartLedgerMap());
        if (generatedModel is { Length: > 0 })
        {
            var type = System.Reflection.Assembly.LoadFrom(generatedModel).GetType("PremixGenerated.PremixModel", throwOnError: true)!;
            p.UseGeneratedModel((Premix.Plans.GeneratedModel)type.GetProperty("Instance")!.GetValue(null)!);
        }
    });
    var euros = new StartLedger { Name = "euros", Balance = new StartMoney(12.34m, "EUR", 3) };
    var empty = new StartLedger { Name = "empty" };
    await using (var work = premix.BeginUnitOfWork())
    {
        work.Repository<StartLedger>().Add(euros);
        work.Repository<StartLedger>().Add(empty);
        await work.CommitAsync();
    }

    await using (var work = premix.BeginUnitOfWork())
    {
        var currency = "EUR";
        var found = await work.Repository<StartLedger>().Query().Where(l => l.Balance!.Currency == currency && l.Balance.Entries > 2).ToListAsync();
        Console.WriteLine($"found {string.Join(",", found.Select(l => l.Name))}");
        var read = await work.Repository<StartLedger>().GetAsync(euros.Id);
        read.Balance = read.Balance! with { Amount = 20.5m };
        await work.CommitAsync();
    }

    await using (var work = premix.BeginUnitOfWork())
    {
        foreach (var id in new[] { euros.Id, empty.Id })
        {
            var ledger = await work.Repository<StartLedger>().GetAsync(id);
            var balance = ledger.Balance is { } b ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{b.Amount} {b.Currency} {b.Entries}") : "none";
            Console.WriteLine($"ledger {ledger.Id} {ledger.Name} {balance}");
        }

        // A balance selected whole from a row the test wrote with a NULL amount: the member gets its default, as under the JIT.
        var partial = await work.Repository<StartLedger>().Query().Where(l => l.Name == "partial").Select(l => l.Balance).ToListAsync();
        Console.WriteLine("partial " + string.Join(",", partial.Select(b => b is null ? "none" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{b.Amount} {b.Currency} {b.Entries}"))));
    }
}
