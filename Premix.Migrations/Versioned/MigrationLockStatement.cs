namespace Premix.Migrations;

/// <summary>
/// One statement of an engine's migration lock, as its <see cref="IMigrationDialect"/> describes it. Premix runs it on the
/// migrator's connection through its one command path, so it is logged (operation <c>MigrationLock</c>), traced, measured
/// and wrapped like every other statement, and never retried.
/// </summary>
/// <param name="sql">The statement, with <c>@name</c> placeholders for <see cref="Parameters"/>.</param>
public sealed class MigrationLockStatement(string sql)
{
    /// <summary>The statement, with <c>@name</c> placeholders for <see cref="Parameters"/>.</summary>
    public string Sql { get; } = sql;

    /// <summary>The values of its placeholders, by name without the <c>@</c>; none of them sensitive.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Parameters { get; init; } = [];

    /// <summary>
    /// The command's own time limit in seconds (0 for none: a lock function that bounds its wait itself), or
    /// <see langword="null"/> for the connection's.
    /// </summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>
    /// Whether it returns a value that says if the lock was taken (<c>GET_LOCK</c>): Premix then reads its first value and
    /// hands it to <see cref="IMigrationDialect.LockNotTaken"/>.
    /// </summary>
    public bool ReturnsResult { get; init; }
}
