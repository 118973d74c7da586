using System.Collections;
using Microsoft.Extensions.Logging;
using Premix.Mapping;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Querying;

/// <summary>
/// A query's values are converted once, while the caller is inside the call and before any connection is taken (issue 17
/// item 1 moved them later; these pin the order): a list the caller changes afterwards is sent as it was, a value the
/// column refuses fails before any SQL, and the command, its log line and its messages all read the same values.
/// </summary>
public sealed class QueryValueConversionTests(Engine engine) : PremixTest(engine)
{
    private static readonly PremixQuery<Pet, List<string>> NamedIn =
        PremixQuery.Compile((Query<Pet> q, List<string> names) => q.Where(p => names.Contains(p.Name)).OrderBy(p => p.Name));

    private static readonly PremixQuery<Pet, IEnumerable<string>> NamedInSequence =
        PremixQuery.Compile((Query<Pet> q, IEnumerable<string> names) => q.Where(p => names.Contains(p.Name)).OrderBy(p => p.Name));

    private static readonly PremixQuery<Pet, string> Named = PremixQuery.Compile((Query<Pet> q, string name) => q.Where(p => p.Name == name));

    private readonly CapturingLoggerProvider _logs = new();
    private IPremix _premix = null!;

    [OneTimeSetUp]
    public async Task CreateAsync()
    {
        var factory = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        _premix = CreatePremix(p => p.AddModelConfiguration<PetMap>().EnableParameterLogging(), factory);
        await RecreateTablesAsync(_premix);
        await ExecuteAsync($"INSERT INTO {Q("pets")} ({Q("Name")}, {Q("Owner")}) VALUES ('Rex', 'ann'), ('Tom', 'bob'), ('Zed', 'cat')");
    }

    [OneTimeTearDown]
    public async Task DisposeAsync()
    {
        await _premix.DisposeAsync();
        _logs.Dispose();
    }

    [Test]
    public async Task A_compiled_query_whose_Contains_list_the_caller_changes_right_after_the_call_starts_sends_the_original_values()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var pets = uow.Repository<Pet>().AsNoTracking();
        var names = new List<string> { "Rex", "Tom" };

        var call = NamedIn.ToListAsync(pets, names);
        names.Clear();
        names.Add("Zed");
        var found = await call;

        Assert.That(found.Select(p => p.Name), Is.EqualTo(new[] { "Rex", "Tom" }));
    }

    // A sequence that answers differently each time it is read stands for a caller changing the list while the query
    // runs: whichever reading the query converts, its log line must show the values it sent, read no second time.
    [Test]
    public async Task A_Contains_sequence_that_changes_while_the_query_runs_is_logged_with_the_values_that_were_sent()
    {
        await using var uow = _premix.BeginUnitOfWork();
        var pets = uow.Repository<Pet>().AsNoTracking();
        var names = new ChangingNames("Rex", "Tom", "Zed", "Nobody", "Nobody either");
        var logged = _logs.Entries.Count;

        var found = await NamedInSequence.ToListAsync(pets, names);

        var lines = _logs.Entries.Skip(logged).Select(e => e.Message).Where(m => m.StartsWith("Executed", StringComparison.Ordinal)).ToList();
        Assert.That(found, Has.Count.EqualTo(1), "one reading was sent");
        Assert.That(lines, Has.Count.EqualTo(1));
        Assert.That(lines[0], Does.Contain($"[@p0=['{found[0].Name}']]"), "the log shows the value sent, not a later reading");
    }

    [Test]
    public async Task A_value_the_column_refuses_inside_a_unit_of_work_with_pending_writes_fails_before_any_SQL_and_the_unit_of_work_still_commits()
    {
        var broken = "x\uD800y"; // an unpaired surrogate: no engine can store it, so the column's rule refuses it
        using var telemetry = new TelemetryCapture();
        await using var uow = _premix.BeginUnitOfWork();
        var pets = uow.Repository<Pet>();
        pets.Add(new Pet { Name = "New", Owner = "dan" });
        var logged = _logs.Entries.Count;

        var update = Assert.ThrowsAsync<ArgumentException>(() => pets.Query().Where(p => p.Name == broken).UpdateAllAsync(s => s.Set(p => p.Owner, "eve")))!;
        var compiled = Assert.ThrowsAsync<ArgumentException>(() => Named.FirstOrDefaultAsync(pets, broken))!;
        var sent = _logs.Entries.Skip(logged).Count(e => e.Message.Contains("Executed", StringComparison.Ordinal) || e.Message.Contains("Failed", StringComparison.Ordinal));
        var held = telemetry.Measurements(PremixDiagnostics.ActiveConnections, DatabaseName).Sum(m => m.Value);

        await uow.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(update.Message, Does.StartWith("Pet.Name cannot be compared with a string that holds an unpaired UTF-16 surrogate"));
            Assert.That(compiled.Message, Does.StartWith("Pet.Name cannot be compared with a string that holds an unpaired UTF-16 surrogate"));
            Assert.That(sent, Is.Zero, "no statement ran");
            Assert.That(held, Is.Zero, "no connection is left held (by a transaction begun for the refused bulk update)");
            Assert.That(await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("pets")} WHERE {Q("Name")} = 'New' AND {Q("Owner")} = 'dan'"), Is.EqualTo(1), "the unit of work committed its pending insert");
        }

        await ExecuteAsync($"DELETE FROM {Q("pets")} WHERE {Q("Name")} = 'New'");
    }

    public sealed class Pet
    {
        public long Id { get; set; }

        public string Name { get; set; } = "";

        public string Owner { get; set; } = "";
    }

    private sealed class PetMap : ModelConfiguration<Pet>
    {
        public override void Configure(EntityBuilder<Pet> e)
        {
            e.ToTable("pets");
            e.Property(p => p.Name).HasMaxLength(30);
            e.Property(p => p.Owner).HasMaxLength(30).Sensitive();
        }
    }

    // Read k answers the k-th name alone (the last one from then on).
    private sealed class ChangingNames(params string[] readings) : IEnumerable<string>
    {
        private int _reads;

        public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)[readings[Math.Min(_reads++, readings.Length - 1)]]).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
