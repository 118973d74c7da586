using System.Data.Common;
using System.Reflection;
using Dapper;
using Premix.Migrations;
using Premix.Tests.Chinook;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Migrations.Scaffold;

/// <summary>
/// A model scaffolded from a database describes that database: diffed against it, it finds nothing to change, and synced
/// into an empty database it creates the same column types. Scaffolds Chinook and <see cref="BrownfieldTables"/>.
/// </summary>
public sealed class ScaffoldDiffTests(Engine engine) : ProviderTest(engine)
{
    private Assembly _assembly = null!;

    [OneTimeSetUp]
    public async Task LoadScaffoldAndCompileAsync()
    {
        await using (var connection = await OpenConnectionAsync())
        {
            await ChinookDatabase.LoadAsync(Engine, connection);
            await connection.ExecuteAsync(BrownfieldTables.Ddl(Engine));
        }

        var files = await Scaffolder.ScaffoldAsync(Provider, new ScaffoldOptions { Namespace = $"Scaffolded.Diff.{Engine}" });
        _assembly = await ScaffoldedAssembly.CompileAsync($"premix_scaffold_diff_{Engine}_{Guid.NewGuid():N}", files);
    }

    [Test]
    public async Task The_scaffolded_model_finds_nothing_to_change_in_the_database_it_was_scaffolded_from()
    {
        var premix = PremixFactory.Create(p => p.UseProvider(Provider).AddModelConfigurationsFrom(_assembly));

        var diff = await premix.DiffAsync();

        Assert.That(premix.Model.Entities.Select(e => e.Table), Is.SupersetOf(BrownfieldTables.Names), "the brownfield tables are mapped");
        Assert.That(diff.IsEmpty, Is.True, $"nothing to change, but:\n{diff}");
    }

    [Test]
    public async Task The_scaffolded_model_creates_the_same_column_types_in_an_empty_database()
    {
        await using var empty = await EmptyDatabase.CreateAsync(Engine);
        var provider = empty.Provider;
        var premix = PremixFactory.Create(p => p.UseProvider(provider).AddModelConfigurationsFrom(_assembly));

        await premix.SyncAsync();
        var diff = await premix.DiffAsync();

        Assert.That(diff.IsEmpty, Is.True, $"nothing left to change, but:\n{diff}");
        await using var original = await OpenConnectionAsync();
        await using var created = provider.CreateConnection();
        await created.OpenAsync();
        foreach (var table in BrownfieldTables.Names)
        {
            var expected = (await ColumnTypesAsync(original, table))
                .Select(c => (c.Name, BrownfieldTables.Respelled(Engine).GetValueOrDefault($"{table}.{c.Name}", c.Type)));
            Assert.That(await ColumnTypesAsync(created, table), Is.EqualTo(expected), $"the column types of {table}");
        }

        if (Engine == Engine.MySql)
        {
            var extra = await created.ExecuteScalarAsync<string>("SELECT EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'brownfield_types' AND COLUMN_NAME = 'updated'");
            Assert.That(extra, Does.Contain("on update current_timestamp").IgnoreCase, "the ON UPDATE clause is kept");
        }
    }

    // Each column's type as the engine's own catalog spells it: format_type, COLUMN_TYPE, or the declared type on SQLite.
    private async Task<List<(string Name, string Type)>> ColumnTypesAsync(DbConnection connection, string table)
    {
        var sql = Engine switch
        {
            Engine.PostgreSql => "SELECT attname AS Name, format_type(atttypid, atttypmod) AS Type FROM pg_attribute WHERE attrelid = @table::regclass AND attnum > 0 AND NOT attisdropped",
            Engine.MySql => "SELECT COLUMN_NAME AS Name, COLUMN_TYPE AS Type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table",
            _ => "SELECT name AS Name, type AS Type FROM pragma_table_info(@table)",
        };
        return (await connection.QueryAsync<(string Name, string Type)>(sql, new { table })).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }
}
