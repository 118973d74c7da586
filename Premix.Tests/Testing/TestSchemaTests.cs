using System.Data.Common;
using Dapper;
using Premix.Mapping;
using Premix.Testing;
using Premix.Tests.Infrastructure;

namespace Premix.Tests.Testing;

/// <summary>
/// PremixTestDatabase.EnsureSchemaAsync: tests in parallel ask for the model's schema, and it is created once per
/// process, by the sync or by versioned migrations. Checked through plain SQL.
/// </summary>
public sealed class TestSchemaTests(Engine engine) : PremixTest(engine)
{
    [Test]
    public async Task Schema_asked_for_by_eight_parallel_tests_is_created_once_per_process()
    {
        await using var premix = CreatePremix(p => p.AddModelConfiguration(new SchemaNoteMap()));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PremixTestDatabase.EnsureSchemaAsync(premix))));
        Assert.That(await CountRowsAsync("schema_notes"), Is.Zero, "the table exists");

        // Proof that a later call does nothing: a table dropped behind its back is not created again.
        await using (var connection = await OpenConnectionAsync())
        {
            await connection.ExecuteAsync($"DROP TABLE {Q("schema_notes")}");
        }

        await PremixTestDatabase.EnsureSchemaAsync(premix);
        Assert.That(() => CountRowsAsync("schema_notes"), Throws.InstanceOf<DbException>(), "created once per process, not per call");
    }

    [Test]
    public async Task Versioned_migrations_asked_for_by_eight_parallel_tests_run_once()
    {
        var folder = Directory.CreateTempSubdirectory("premix-test-migrations-");
        try
        {
            await File.WriteAllTextAsync(
                Path.Join(folder.FullName, "20260101000000_create_notes.sql"),
                "-- +premix Up\nCREATE TABLE migrated_notes (id INTEGER PRIMARY KEY);\nINSERT INTO migrated_notes (id) VALUES (1);\n");
            await using var premix = CreatePremix(p => p.AddModelConfiguration(new SchemaNoteMap()));

            await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PremixTestDatabase.EnsureSchemaAsync(premix, folder.FullName))));

            Assert.That(await CountRowsAsync("migrated_notes"), Is.EqualTo(1));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private sealed class SchemaNote
    {
        public long Id { get; set; }

        public string Text { get; set; } = "";
    }

    private sealed class SchemaNoteMap : ModelConfiguration<SchemaNote>
    {
        public override void Configure(EntityBuilder<SchemaNote> e)
        {
            e.ToTable("schema_notes");
            e.Property(n => n.Text).HasMaxLength(100);
        }
    }
}
