using System.Data.Common;
using Premix.Execution;

namespace Premix.Migrations;

/// <summary>
/// The migrator's connection and its history table: every statement of a run goes through here, on the one connection
/// that holds the lock, through the database's executor (<see cref="SchemaExecution"/>), and every value written travels
/// as a parameter.
/// </summary>
internal sealed class MigrationHistory(DbConnection connection, IMigrationDialect dialect, IPremix premix, string table)
{
    private const string Operation = "MigrationHistory";

    private static readonly RowReader Rows = RowReader.Compiled(reader => new HistoryRow(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc),
        reader.GetInt64(4),
        reader.GetBoolean(5)));

    private readonly SqlExecutor _executor = SchemaExecution.Of(premix);
    private readonly string _table = premix.Provider.Dialect.QuoteIdentifier(table);

    public DbConnection Connection => connection;

    public string TableName => table;

    public async Task<bool> ExistsAsync(CancellationToken cancellationToken)
    {
        var count = await ScalarAsync(dialect.HistoryTableExists, cancellationToken, ("table", table)).ConfigureAwait(false);
        return Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    public Task CreateAsync(CancellationToken cancellationToken) =>
        ExecuteAsync(HistoryTable.CreateSql(SchemaDialectOf(premix), table), cancellationToken);

    public async Task<List<HistoryRow>> ReadAsync(CancellationToken cancellationToken)
    {
        var sql = $"SELECT {Q("version")}, {Q("name")}, {Q("checksum")}, {Q("applied_at")}, {Q("duration_ms")}, {Q("success")} FROM {_table} ORDER BY {Q("version")}";
        return await _executor.ReadRowsAsync<HistoryRow>(true, connection, null, new Command(Operation, null, sql, null), Rows, int.MaxValue, cancellationToken).ConfigureAwait(false);
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
    /// it while it runs, also where the driver would run it to its end (Microsoft.Data.Sqlite: the executor has the
    /// provider interrupt it), and the caller then gets an <see cref="OperationCanceledException"/>.
    /// </summary>
    public Task RunMigrationSqlAsync(string migrationSql, CancellationToken cancellationToken) =>
        _executor.ExecuteAsync(connection, null, "Migrate", migrationSql, null, cancellationToken, timeoutSeconds: 0);

    public Task ExecuteAsync(string commandSql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        _executor.ExecuteAsync(connection, null, Operation, commandSql, parameters.Length == 0 ? null : new StatementValues(parameters), cancellationToken);

    private Task<object?> ScalarAsync(string commandSql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        _executor.ScalarAsync(connection, null, Operation, commandSql, new StatementValues(parameters), cancellationToken);

    // The runner that made this history refused a provider without schema support.
    private static SchemaDialect SchemaDialectOf(IPremix premix) => premix.Provider.SchemaSupport()!.Schema;

    private string Q(string column) => premix.Provider.Dialect.QuoteIdentifier(column);
}
