using Microsoft.Data.Sqlite;
using Premix.Migrations;
using Premix.Providers.Sqlite;

namespace Premix.Tests.Migrations;

/// <summary>
/// SQLite lets a table be dropped under a view that reads it (PostgreSQL refuses, MariaDB answers with a warning), and the
/// view's columns can then not be read: a schema read, whose failures now come back from the executor, still lists it.
/// </summary>
public sealed class SqliteBrokenViewTests
{
    [Test]
    public async Task A_view_over_a_dropped_table_is_read_without_columns_instead_of_failing_the_schema_read()
    {
        var file = Path.Combine(Path.GetTempPath(), $"premix-broken-view-{Guid.NewGuid():N}.db");
        var connectionString = $"Data Source={file};Pooling=False";
        try
        {
            await using (var setup = new SqliteConnection(connectionString))
            {
                await setup.OpenAsync();
                await using var command = setup.CreateCommand();
                command.CommandText = "CREATE TABLE gone (id INTEGER PRIMARY KEY); CREATE VIEW orphan AS SELECT id FROM gone; DROP TABLE gone;";
                await command.ExecuteNonQueryAsync();
            }

            var provider = new SqliteProvider(connectionString);
            using var execution = SchemaExecution.Begin(provider);
            await using var connection = provider.CreateConnection();
            await connection.OpenAsync();

            var schema = await provider.SchemaSupport()!.Schema.ReadAsync(connection, [], CancellationToken.None);

            Assert.That(schema.Views.Select(v => (v.Name, v.Columns.Count)), Is.EqualTo(new[] { ("orphan", 0) }));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
