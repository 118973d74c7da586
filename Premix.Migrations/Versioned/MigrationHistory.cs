using System.Data;
using System.Data.Common;
using Premix.Providers;

namespace Premix.Migrations;

/// <summary>
/// The migrator's connection and its history table: every statement of a run goes through here, on the one connection
/// that holds the lock, and every value written travels as a parameter.
/// </summary>
internal sealed class MigrationHistory(DbConnection connection, IMigrationDialect dialect, IDatabaseProvider provider, string table)
{
    private readonly string _table = provider.Dialect.QuoteIdentifier(table);

    public DbConnection Connection => connection;

    public string TableName => table;

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        var count = await ScalarAsync(dialect.HistoryTableExists, cancellationToken, ("table", table)).ConfigureAwait(false);
        return Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    public Task CreateAsync(CancellationToken cancellationToken) => ExecuteAsync(dialect.CreateHistoryTable(table), cancellationToken);

    public async Task<List<HistoryRow>> ReadAsync(CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"SELECT {Q("version")}, {Q("name")}, {Q("checksum")}, {Q("applied_at")}, {Q("duration_ms")}, {Q("success")} FROM {_table} ORDER BY {Q("version")}");
        var rows = new List<HistoryRow>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new HistoryRow(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc),
                    reader.GetInt64(4),
                    reader.GetBoolean(5)));
            }
        }

        return rows;
    }

    public Task InsertAsync(MigrationFile file, long durationMs, bool success, CancellationToken cancellationToken) => ExecuteAsync(
        $"INSERT INTO {_table} ({Q("version")}, {Q("name")}, {Q("checksum")}, {Q("applied_at")}, {Q("duration_ms")}, {Q("success")}) "
            + "VALUES (@version, @name, @checksum, @appliedAt, @durationMs, @success)",
        cancellationToken,
        ("version", file.Version),
        ("name", file.Name),
        ("checksum", file.Checksum),
        ("appliedAt", DateTime.UtcNow),
        ("durationMs", durationMs),
        ("success", success));

    public Task UpdateAsync(long version, long durationMs, bool success, CancellationToken cancellationToken) => ExecuteAsync(
        $"UPDATE {_table} SET {Q("duration_ms")} = @durationMs, {Q("success")} = @success WHERE {Q("version")} = @version",
        cancellationToken,
        ("version", version),
        ("durationMs", durationMs),
        ("success", success));

    public Task MarkAppliedAsync(long version, string checksum, CancellationToken cancellationToken) => ExecuteAsync(
        $"UPDATE {_table} SET {Q("checksum")} = @checksum, {Q("success")} = @success WHERE {Q("version")} = @version",
        cancellationToken,
        ("version", version),
        ("checksum", checksum),
        ("success", true));

    public Task DeleteAsync(long version, CancellationToken cancellationToken) =>
        ExecuteAsync($"DELETE FROM {_table} WHERE {Q("version")} = @version", cancellationToken, ("version", version));

    /// <summary>
    /// Runs a section of a migration file as one command, without a time limit: migrations may take long. The token stops
    /// it while it runs, also where the driver would run it to its end (Microsoft.Data.Sqlite: the provider interrupts it).
    /// </summary>
    public async Task RunMigrationSqlAsync(string migrationSql, CancellationToken cancellationToken)
    {
        await using var command = Command(migrationSql);
        command.CommandTimeout = 0;
        using var interrupt = provider.CancelOnToken(connection, cancellationToken);
        try
        {
            await MigrationTracing.TraceAsync("Migrate", migrationSql, () => command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
        }
        catch (DbException e) when (cancellationToken.IsCancellationRequested)
        {
            // An interrupted statement fails with the driver's error (SQLITE_INTERRUPT); the caller asked for a cancellation.
            throw new OperationCanceledException("The migration was cancelled while its SQL ran.", e, cancellationToken);
        }
    }

    public async Task ExecuteAsync(string commandSql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(commandSql, parameters);
        await MigrationTracing.TraceAsync("MigrationHistory", commandSql, () => command.ExecuteNonQueryAsync(cancellationToken)).ConfigureAwait(false);
    }

    private async Task<object?> ScalarAsync(string commandSql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(commandSql, parameters);
        return await MigrationTracing.TraceAsync("MigrationHistory", commandSql, () => command.ExecuteScalarAsync(cancellationToken)).ConfigureAwait(false);
    }

    private DbCommand Command(string commandSql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = commandSql;
        command.CommandType = CommandType.Text;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private string Q(string column) => provider.Dialect.QuoteIdentifier(column);
}
