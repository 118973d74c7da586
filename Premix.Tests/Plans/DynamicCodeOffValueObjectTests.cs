using Premix.Mapping;
using Premix.Tests.Infrastructure;
using Premix.Tests.Plans.Generated;

namespace Premix.Tests.Plans;

/// <summary>
/// Value objects (<c>Owns</c>) with dynamic code off, without a native publish: Premix.Tests.StartApp's ledger start (a
/// ledger whose balance is a value object with <c>decimal</c> and <c>int</c> members) run with a copy of its
/// runtimeconfig.json whose IsDynamicCodeSupported switch is false. The members are read as <c>decimal?</c> and <c>int?</c>,
/// which the model build cannot make there: with a generated model it takes them from the model's property types and the
/// value object round-trips; without one, or with one that does not name them, the start fails before any connection
/// writes, naming the value object and the way out.
/// </summary>
public sealed class DynamicCodeOffValueObjectTests(Engine engine) : StartAppTest(engine)
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"premix-dynamic-off-owned-{Guid.NewGuid():N}");

    [OneTimeSetUp]
    public async Task CreateTheTableAndGenerateTheModelsAsync()
    {
        Directory.CreateDirectory(_directory);
        await using var ledgers = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(StartAppMap("StartLedgerMap")));
        await RecreateTablesAsync(ledgers);
        GeneratedModels.EmitTo(ledgers, Path.Combine(_directory, "Ledgers.dll"));
        // A model generated before the ledger was mapped: it names no decimal? nor int?.
        await using var items = CreatePremix(p => p.UseNamingConvention(NamingConvention.SnakeCase).AddModelConfiguration(StartAppMap("StartItemMap")));
        GeneratedModels.EmitTo(items, Path.Combine(_directory, "Items.dll"));
    }

    [OneTimeTearDown]
    public void DeleteTheModels()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (UnauthorizedAccessException)
        {
            // Windows keeps a loaded assembly's file open; the temporary folder is left there.
        }
    }

    [SetUp]
    public Task EmptyTheTableAsync() => ExecuteAsync($"DELETE FROM {Q("start_ledgers")}");

    [Test]
    public async Task With_the_generated_model_a_start_with_dynamic_code_off_inserts_queries_updates_and_reads_a_value_object()
    {
        var (exitCode, output) = await RunLedgerWithDynamicCodeOffAsync(Path.Combine(_directory, "Ledgers.dll"));
        var euros = await ScalarAsync<long>($"SELECT {Q("id")} FROM {Q("start_ledgers")} WHERE {Q("name")} = 'euros'");
        var empty = await ScalarAsync<long>($"SELECT {Q("id")} FROM {Q("start_ledgers")} WHERE {Q("name")} = 'empty'");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("found euros\n"), "the query by members of the value object");
            Assert.That(output, Does.Match($"ledger {euros} euros 20\\.50? EUR 3\n"), "the value object read back after one member changed (decimal(18,2) keeps two places on PostgreSQL and MariaDB)");
            Assert.That(output, Does.Contain($"ledger {empty} empty none\n"), "a ledger without a balance reads back without one");
            Assert.That(
                await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("start_ledgers")} WHERE {Q("id")} = @euros AND {Q("balance_amount")} = 20.5 AND {Q("balance_currency")} = 'EUR' AND {Q("balance_entries")} = 3", new { euros }),
                Is.EqualTo(1),
                "the balance's columns hold the updated amount");
            Assert.That(
                await ScalarAsync<long>($"SELECT COUNT(*) FROM {Q("start_ledgers")} WHERE {Q("id")} = @empty AND {Q("balance_amount")} IS NULL AND {Q("balance_currency")} IS NULL AND {Q("balance_entries")} IS NULL", new { empty }),
                Is.EqualTo(1),
                "the ledger without a balance has NULL in its columns");
        }
    }

    // The interpreted Select reader once refused a NULL column of a value-type member with dynamic code off ("value objects
    // are refused"); reflection gives default(T) for it without making anything, as the JIT's compiled reader does.
    [Test]
    public async Task With_the_generated_model_a_value_object_selected_whole_whose_value_type_column_is_null_reads_its_default_with_dynamic_code_off()
    {
        await ExecuteAsync($"INSERT INTO {Q("start_ledgers")} ({Q("name")}, {Q("balance_amount")}, {Q("balance_currency")}, {Q("balance_entries")}) VALUES ('partial', NULL, 'USD', 1)");

        var (exitCode, output) = await RunLedgerWithDynamicCodeOffAsync(Path.Combine(_directory, "Ledgers.dll"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain("partial 0 USD 1\n"), "the NULL amount reads as 0, the other members as stored");
        }
    }

    // One exception, one message (pillar 3): the missing generated model first, naming every entity and the way out, as a
    // model without value objects is refused, then the mapping problems (the value object's) it would otherwise hide behind.
    [Test]
    public async Task Without_a_generated_model_a_start_with_dynamic_code_off_fails_with_one_exception_naming_the_entities_and_UseGeneratedModel_then_the_value_object()
    {
        var (exitCode, output) = await RunLedgerWithDynamicCodeOffAsync(null);
        const string NoModel = "Unhandled exception. System.NotSupportedException: Premix starts without a generated model, and dynamic code is off";
        const string ValueObject = "StartLedger.Balance: is a value object (Owns)";

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Not.Zero, output);
            Assert.That(output, Does.Contain(NoModel).And.Contain("the plans of StartLedger would be compiled from expression trees").And.Contain("register its model with UseGeneratedModel(...), or turn PublishAot off"));
            Assert.That(output.IndexOf(NoModel, StringComparison.Ordinal), Is.LessThan(output.IndexOf(ValueObject, StringComparison.Ordinal)), "the missing generated model first");
            Assert.That(output, Does.Contain("---> Premix.Mapping.MappingException: The Premix model has 1 mapping problem"), "the mapping problems are its inner exception too");
            Assert.That(output, Does.Contain("StartLedger.Balance: is a value object (Owns), whose value-type members are read as nullable types, which only a generated model names while dynamic code is off "
                + "(RuntimeFeature.IsDynamicCodeSupported is false: a native AOT binary, or a JIT build of a project with PublishAot), and Premix starts without one."));
            Assert.That(output, Does.Contain("Run premix optimize and register its model with UseGeneratedModel(...), map its members as properties of StartLedger, or turn PublishAot off"));
            Assert.That(await CountRowsAsync("start_ledgers"), Is.Zero, "the start failed before anything was written");
        }
    }

    [Test]
    public async Task A_generated_model_that_does_not_name_the_members_nullable_types_fails_the_start_naming_each_member_and_premix_optimize()
    {
        var (exitCode, output) = await RunLedgerWithDynamicCodeOffAsync(Path.Combine(_directory, "Items.dll"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.Not.Zero, output);
            Assert.That(output, Does.Contain("StartLedger.Balance.Amount: is a member of a value object of type Decimal, read as its nullable type, which the generated model does not name, and dynamic code is off"));
            Assert.That(output, Does.Contain("StartLedger.Balance.Entries: is a member of a value object of type Int32"));
            Assert.That(output, Does.Contain("the value object was added or changed since premix optimize wrote the model"));
            Assert.That(output, Does.Not.Contain("StartLedger.Balance.Currency"), "a member of a reference type is read as it is");
            Assert.That(await CountRowsAsync("start_ledgers"), Is.Zero, "the start failed before anything was written");
        }
    }

    private async Task<(int ExitCode, string Output)> RunLedgerWithDynamicCodeOffAsync(string? generatedModel)
    {
        var run = await RunStartAppWithDynamicCodeOffAsync("ledger", ("START_APP_GENERATED_MODEL", generatedModel ?? ""));
        return (run.ExitCode, run.Everything.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
