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
//   Premix.Tests.StartApp filtered sqlite|postgresql|mysql          the same, START_APP_GENERATED_MODEL required
// filtered: PremixFactory.Create with StartRoomMap and StartLampMap (named query filters) on the generated model, then the
// lamps the filters keep, read by key, listed, queried, counted and included from their rooms, then with the brand filter's
// static value changed, each printed on a line of its own ("find a,none,..."), then "compiled N": the delegates Premix
// compiled from the start on (DynamicCodeOffQueryFilterTests, which runs it with dynamic code off; rows are the test's).
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Premix;
using Premix.Mapping;
using Premix.Repositories;
using Premix.Tests.StartApp;

if (args is not [("factory" or "host" or "ledger" or "filtered") and var start, ("sqlite" or "postgresql" or "mysql") and var engine]
    || Environment.GetEnvironmentVariable("START_APP_CONNECTION") is not { Length: > 0 } connectionString)
{
    Console.Error.WriteLine("usage: START_APP_CONNECTION=... Premix.Tests.StartApp factory|host|ledger|filtered sqlite|postgresql|mysql");
    return 2;
}

if (start == "ledger")
{
    await LedgerAsync(engine, connectionString, Environment.GetEnvironmentVariable("START_APP_GENERATED_MODEL"));
    return 0;
}

if (start == "filtered")
{
    await FilteredAsync(engine, connectionString, Environment.GetEnvironmentVariable("START_APP_GENERATED_MODEL"));
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
        UseEngine(p, engine, connectionString);
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
        UseEngine(p, engine, connectionString);
        p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new StartLedgerMap());
        UseGeneratedModel(p, generatedModel);
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

static async Task FilteredAsync(string engine, string connectionString, string? generatedModel)
{
    // Counts the delegates Premix compiles in this flow (LazyDelegates is internal: reached by its name, as only this test app does).
    var compiled = (System.Runtime.CompilerServices.StrongBox<int>)typeof(PremixFactory).Assembly.GetType("Premix.Plans.LazyDelegates", throwOnError: true)!
        .GetMethod("CountInThisFlow")!.Invoke(null, null)!;
    await using var premix = PremixFactory.Create(p =>
    {
        UseEngine(p, engine, connectionString);
        p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(new StartRoomMap()).AddModelConfiguration(new StartLampMap());
        UseGeneratedModel(p, generatedModel);
    });
    await using var work = premix.BeginUnitOfWork();
    var lamps = work.Repository<StartLamp>();
    var found = new List<string>();
    foreach (var id in new[] { 1L, 2L, 3L, 4L, 5L })
    {
        found.Add((await lamps.FindAsync(id))?.Name ?? "none");
    }

    Console.WriteLine($"find {string.Join(",", found)}");
    try
    {
        Console.WriteLine($"get 2 {(await lamps.GetAsync(2L)).Name}");
    }
    catch (EntityNotFoundException)
    {
        Console.WriteLine("get 2 not found");
    }

    Console.WriteLine($"list {Names(await lamps.ListAsync())}");
    Console.WriteLine($"query {Names(await lamps.Query().Where(l => l.Watts < 30).ToListAsync())}");
    Console.WriteLine($"count {await lamps.Query().CountAsync()}");
    var rooms = await work.Repository<StartRoom>().Query().Include(r => r.Lamps).ToListAsync();
    Console.WriteLine($"include {string.Join(" ", rooms.OrderBy(r => r.Id).Select(r => $"{r.Name}:{Names(r.Lamps)}"))}");
    StartLampScope.Brand = "other";
    Console.WriteLine($"other {Names(await lamps.Query().ToListAsync())}");
    Console.WriteLine($"compiled {compiled.Value}");

    static string Names(IEnumerable<StartLamp> lamps) => string.Join(",", lamps.OrderBy(l => l.Id).Select(l => l.Name));
}

static void UseEngine(PremixOptionsBuilder p, string engine, string connectionString) => _ = engine switch
{
    "postgresql" => p.UsePostgreSql(connectionString),
    "mysql" => p.UseMySql(connectionString),
    _ => p.UseSqlite(connectionString),
};

// The generated model compiled into the assembly at path (class PremixGenerated.PremixModel), when a path is given.
static void UseGeneratedModel(PremixOptionsBuilder p, string? path)
{
    if (path is { Length: > 0 })
    {
        var type = System.Reflection.Assembly.LoadFrom(path).GetType("PremixGenerated.PremixModel", throwOnError: true)!;
        p.UseGeneratedModel((Premix.Plans.GeneratedModel)type.GetProperty("Instance")!.GetValue(null)!);
    }
}
