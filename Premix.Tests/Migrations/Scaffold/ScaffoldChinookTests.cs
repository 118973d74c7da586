using System.Reflection;
using Dapper;
using Premix.Migrations;
using Premix.Tests.Chinook;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Scaffold;

/// <summary>
/// Scaffolds the Chinook database, compiles the generated classes, and reads every table through them; then syncs the
/// scaffolded model into an empty database, where it must find nothing left to change.
/// </summary>
public sealed class ScaffoldChinookTests(Engine engine) : ProviderTest(engine)
{
    private Assembly _assembly = null!;
    private IReadOnlyList<ScaffoldedFile> _files = [];

    // The row counts of datasets/chinook/README.md.
    private static readonly Dictionary<string, long> DatasetCounts = new()
    {
        ["Artist"] = 275, ["Album"] = 347, ["Track"] = 3503, ["Invoice"] = 412, ["InvoiceLine"] = 2240, ["Customer"] = 59,
        ["Employee"] = 8, ["Genre"] = 25, ["MediaType"] = 5, ["Playlist"] = 18, ["PlaylistTrack"] = 8715,
    };

    [OneTimeSetUp]
    public async Task ScaffoldAndCompileAsync()
    {
        await using (var connection = await OpenConnectionAsync())
        {
            await ChinookDatabase.LoadAsync(Engine, connection);
        }

        _files = await Scaffolder.ScaffoldAsync(Provider, new ScaffoldOptions { Namespace = $"Scaffolded.Chinook.{Engine}" });
        _assembly = await ScaffoldedAssembly.CompileAsync($"premix_scaffold_{Engine}_{Guid.NewGuid():N}", _files);
    }

    [Test]
    public void Every_table_gets_a_class_and_a_map()
    {
        var classes = _assembly.GetExportedTypes().Where(t => t.BaseType == typeof(object)).Select(t => t.Name);

        Assert.That(classes, Is.EquivalentTo(DatasetCounts.Keys));
        Assert.That(_files.Select(f => f.FileName), Is.EquivalentTo(DatasetCounts.Keys.SelectMany(k => new[] { k + ".cs", k + "Map.cs" })));
    }

    [Test]
    public async Task Every_table_reads_through_the_scaffolded_classes_with_the_dataset_counts()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(_assembly));
        var counted = new Dictionary<string, long>();
        var listed = new Dictionary<string, long>();
        await using (var uow = premix.BeginUnitOfWork())
        {
            foreach (var entity in premix.Model.Entities)
            {
                var read = (Task<(long, long)>)ReadMethod.MakeGenericMethod(entity.ClrType).Invoke(null, [uow])!;
                (counted[entity.Name], listed[entity.Name]) = await read;
            }
        }

        Assert.That(await CountThroughSqlAsync(premix), Is.EqualTo(DatasetCounts), "the loaded data, through plain SQL");
        Assert.That(counted, Is.EqualTo(DatasetCounts), "CountAsync");
        Assert.That(listed, Is.EqualTo(DatasetCounts), "ListAsync");
    }

    [Test]
    public async Task Scaffolded_model_synced_into_an_empty_database_leaves_no_difference()
    {
        await using var empty = await EmptyDatabase.CreateAsync(Engine);

        await empty.AssertSyncLeavesNoDifferenceAsync(_assembly);
    }

    private static readonly MethodInfo ReadMethod = typeof(ScaffoldChinookTests).GetMethod(nameof(ReadAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static async Task<(long Counted, long Listed)> ReadAsync<T>(IUnitOfWork uow)
        where T : class
    {
        var repository = uow.Repository<T>();
        return (await repository.CountAsync(), (await repository.ListAsync()).Count);
    }

    private async Task<Dictionary<string, long>> CountThroughSqlAsync(IPremix premix)
    {
        await using var connection = await OpenConnectionAsync();
        var counts = new Dictionary<string, long>();
        foreach (var entity in premix.Model.Entities)
        {
            counts[entity.Name] = await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {Provider.Dialect.QuoteIdentifier(entity.Table)}");
        }

        return counts;
    }
}
