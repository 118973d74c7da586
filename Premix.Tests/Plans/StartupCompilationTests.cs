using Dapper;
using Microsoft.Data.Sqlite;
using Premix.ColdStart.Model;
using Premix.Mapping;
using Premix.Plans;
using Premix.Tests.Types;

namespace Premix.Tests.Plans;

/// <summary>
/// Startup builds every plan but compiles none of their delegates: they compile on first use (issue 19). Engine-independent:
/// no connection is opened to build plans, so SQLite in memory stands for every engine.
/// </summary>
public sealed class StartupCompilationTests
{
    private const string Memory = "Data Source=:memory:";

    // At most this many delegates compiled at startup for the 100-entity model (3,250 when all compiled eagerly: LazyDelegates.Eager; EagerStartupTests).
    private const int MostCompiledAtStartup = 0;

    // What a first get by key and its snapshot compile: the key getter, the row reader, the snapshot copier.
    private const int FirstGetCompiles = 3;

    // The generated model's maps (this assembly holds other tests' maps too, so it is not scanned whole).
    private static IEnumerable<ModelConfiguration> ColdStartMaps =>
        typeof(Entity050Map).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(Entity050Map).Namespace && t.IsSubclassOf(typeof(ModelConfiguration)))
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => (ModelConfiguration)Activator.CreateInstance(t)!);

    [Test]
    public async Task Startup_of_a_100_entity_model_compiles_no_delegate_and_the_first_get_compiles_only_its_own_on_SQLite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"premix-startup-{Guid.NewGuid():N}.db");
        try
        {
            await using (var arrange = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await arrange.OpenAsync();
                await arrange.ExecuteAsync(
                    "CREATE TABLE entity050 (id INTEGER PRIMARY KEY, name TEXT NOT NULL, code TEXT NOT NULL, amount NUMERIC NOT NULL, quantity INTEGER NOT NULL, "
                    + "created_at TEXT NOT NULL, is_active INTEGER NOT NULL, note TEXT, ratio REAL NOT NULL, parent_id INTEGER);"
                    + "INSERT INTO entity050 VALUES (7, 'seventh', 'C7', 12.5, 3, '2026-01-02 03:04:05', 1, NULL, 0.5, NULL);");
            }

            var before = LazyDelegates.CompiledOnThisThread;
            await using var premix = PremixFactory.Create(p =>
            {
                p.UseSqlite($"Data Source={file};Pooling=False").UseNamingConvention(NamingConvention.SnakeCase);
                foreach (var map in ColdStartMaps)
                {
                    p.AddModelConfiguration(map);
                }
            });
            var atStartup = LazyDelegates.CompiledOnThisThread - before;
            TestContext.Out.WriteLine($"Delegates compiled at startup: {atStartup}");

            var (row, firstGet) = await GetCountingAsync(premix, 7L);
            var (_, secondGet) = await GetCountingAsync(premix, 7L);
            TestContext.Out.WriteLine($"Delegates compiled by the first get: {firstGet}");

            using (Assert.EnterMultipleScope())
            {
                Assert.That(premix.Model.Entities, Has.Count.EqualTo(100));
                Assert.That(atStartup, Is.LessThanOrEqualTo(MostCompiledAtStartup));
                Assert.That((row.Id, row.Name, row.Code, row.Amount, row.Quantity, row.Note), Is.EqualTo((7L, "seventh", "C7", 12.5m, 3, (string?)null)));
                // Entity050's key getter, row reader and snapshot copier, and none of the 99 other entities' (each would add its own).
                Assert.That(firstGet, Is.EqualTo(FirstGetCompiles));
                Assert.That(secondGet, Is.Zero);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task Startup_of_a_model_with_value_converters_compiles_none_of_them_on_SQLite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"premix-startup-{Guid.NewGuid():N}.db");
        try
        {
            await using (var arrange = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await arrange.OpenAsync();
                await arrange.ExecuteAsync(
                    $"CREATE TABLE {AccountMap.Table} (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL, Email TEXT, Website TEXT, Tier INTEGER NOT NULL, SeenAt TEXT NOT NULL, Code TEXT);"
                    + $"CREATE TABLE {InvoiceMap.Table} (Id INTEGER PRIMARY KEY, AccountId INTEGER NOT NULL, Total NUMERIC NOT NULL);"
                    + $"INSERT INTO {AccountMap.Table} VALUES (7, 'Ada', 'ada@example.com', 'https://example.com/ada', 2, '2026-01-02 03:04:05', 'SKU-7');");
            }

            // Strongly typed ids and codes, a Uri (conventions), a value object (HasConversion), an enum as a short, a DateTime kind.
            var before = LazyDelegates.CompiledOnThisThread;
            await using var premix = PremixFactory.Create(p =>
                AccountMap.Registry(p.UseSqlite($"Data Source={file};Pooling=False").AddModelConfiguration(new AccountMap()).AddModelConfiguration(new InvoiceMap())));
            var atStartup = LazyDelegates.CompiledOnThisThread - before;
            // The e-mail converter is made by this map's Configure, so no other test can have compiled it (the conventions' are shared).
            var email = ConverterDelegates.Of(premix.Model.Entities.Single(e => e.ClrType == typeof(Account)).Properties.Single(p => p.Name == nameof(Account.Email)).Converter!);
            var emailCompiledAtStartup = (email.ToStoredCompiled, email.FromStoredCompiled);

            Account row;
            await using (var uow = premix.BeginUnitOfWork())
            {
                row = uow.Repository<Account>().Get(new AccountId(7));
            }

            using (Assert.EnterMultipleScope())
            {
                Assert.That(atStartup, Is.Zero);
                Assert.That(emailCompiledAtStartup, Is.EqualTo((false, false)), "startup compiles neither direction of a converter");
                Assert.That((row.Id, row.Name, row.Email, row.Website, row.Tier, row.Code), Is.EqualTo((new AccountId(7), "Ada", new EmailAddress("ada@example.com"), new Uri("https://example.com/ada"), Tier.Silver, (Sku?)new Sku("SKU-7"))));
                Assert.That(row.SeenAt.Kind, Is.EqualTo(DateTimeKind.Utc));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task A_converter_shared_by_two_entities_compiles_each_direction_once_on_first_use_and_not_at_startup_on_SQLite()
    {
        var file = Path.Combine(Path.GetTempPath(), $"premix-startup-{Guid.NewGuid():N}.db");
        try
        {
            await using (var arrange = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                await arrange.OpenAsync();
                await arrange.ExecuteAsync(
                    $"CREATE TABLE {SenderMap.Table} (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL); INSERT INTO {SenderMap.Table} VALUES (7, 'Ada');"
                    + $"CREATE TABLE {ReceiverMap.Table} (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL); INSERT INTO {ReceiverMap.Table} VALUES (7, 'Grace');");
            }

            // Made here, so no other test can have compiled its conversions (the conventions' converters are shared by the process).
            var converter = new ValueConverter<LabelNo, long>(no => no.Value, v => new LabelNo(v));
            var delegates = ConverterDelegates.Of(converter);
            var before = LazyDelegates.CompiledOnThisThread;
            await using var premix = PremixFactory.Create(p => p.UseSqlite($"Data Source={file};Pooling=False")
                .AddModelConfiguration(new SenderMap(converter)).AddModelConfiguration(new ReceiverMap(converter)));
            var atStartup = LazyDelegates.CompiledOnThisThread - before;
            var compiledAtStartup = (delegates.ToStoredCompiled, delegates.FromStoredCompiled);

            before = LazyDelegates.CompiledOnThisThread;
            Sender sender;
            await using (var uow = premix.BeginUnitOfWork())
            {
                sender = uow.Repository<Sender>().Get(new LabelNo(7));
            }

            var firstGet = LazyDelegates.CompiledOnThisThread - before;
            var compiledByFirstGet = (delegates.ToStoredCompiled, delegates.FromStoredCompiled);

            before = LazyDelegates.CompiledOnThisThread;
            Receiver receiver;
            await using (var uow = premix.BeginUnitOfWork())
            {
                receiver = uow.Repository<Receiver>().Get(new LabelNo(7));
            }

            var otherEntitysGet = LazyDelegates.CompiledOnThisThread - before;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(atStartup, Is.Zero);
                Assert.That(compiledAtStartup, Is.EqualTo((false, false)), "startup compiles neither direction of the converter");
                Assert.That((sender.Id, sender.Name, receiver.Id, receiver.Name), Is.EqualTo((new LabelNo(7), "Ada", new LabelNo(7), "Grace")));
                // What any first get compiles, and the key's conversion to its stored long (the key argument arrives boxed).
                Assert.That(firstGet, Is.EqualTo(FirstGetCompiles + 1));
                Assert.That(compiledByFirstGet, Is.EqualTo((true, false)), "a get converts a key to the stored value only: the other direction waits for a generated key");
                // The other entity's key shares the converter, so its conversion is already compiled.
                Assert.That(otherEntitysGet, Is.EqualTo(FirstGetCompiles));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    // Counted on this thread: the SQLite driver completes synchronously, so the whole get runs here.
    private static async Task<(Entity050 Row, int Compiled)> GetCountingAsync(IPremix premix, long id)
    {
        var before = LazyDelegates.CompiledOnThisThread;
        await using var uow = premix.BeginUnitOfWork();
        var row = uow.Repository<Entity050>().Get(id);
        return (row, LazyDelegates.CompiledOnThisThread - before);
    }

    public readonly record struct LabelNo(long Value);

    public sealed class Sender
    {
        public LabelNo Id { get; set; }

        public string Name { get; set; } = "";
    }

    public sealed class Receiver
    {
        public LabelNo Id { get; set; }

        public string Name { get; set; } = "";
    }

    private sealed class SenderMap(ValueConverter<LabelNo, long> converter) : ModelConfiguration<Sender>
    {
        public const string Table = "startup_senders";

        public override void Configure(EntityBuilder<Sender> e)
        {
            e.ToTable(Table);
            e.Property(s => s.Id).HasConversion(converter);
        }
    }

    private sealed class ReceiverMap(ValueConverter<LabelNo, long> converter) : ModelConfiguration<Receiver>
    {
        public const string Table = "startup_receivers";

        public override void Configure(EntityBuilder<Receiver> e)
        {
            e.ToTable(Table);
            e.Property(r => r.Id).HasConversion(converter);
        }
    }
}
