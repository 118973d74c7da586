namespace Premix.Providers;

/// <summary>
/// What an upsert (or insert-or-ignore) of one entity writes, for a dialect to render as its engine's statement
/// (<see cref="ISqlDialect.Upsert"/>). Every name is already quoted and every value is a placeholder; built once per entity
/// and conflict target.
/// </summary>
/// <remarks>
/// The rendered statement answers with one row when it wrote the row (inserted it, or updated the existing one) and with no
/// row when it wrote nothing (a conflict it was told to ignore, or an existing row whose version differs). The row's
/// columns are, in order: the key of the row written (<paramref name="Key"/>: a row found by a unique index may have another
/// key than the one given, and new children must reference the row's), whether it was
/// inserted (true, false, or NULL where the engine cannot tell), and its version after the write (NULL without a version).
/// </remarks>
/// <param name="Table">The quoted, qualified table.</param>
/// <param name="Columns">The quoted columns an insert writes.</param>
/// <param name="Parameters">Their placeholders, one per column.</param>
/// <param name="ConflictColumns">The quoted columns of the key or unique index whose conflict turns the insert into an update.</param>
/// <param name="ConflictParameters">The placeholders of <paramref name="ConflictColumns"/> (each also one of <paramref name="Parameters"/>).</param>
/// <param name="UpdateColumns">The quoted columns an update of the existing row sets from the values given (never the key, the version or the conflict columns).</param>
/// <param name="GeneratedKey">The quoted column the database generates, or <see langword="null"/>.</param>
/// <param name="Key">The quoted key column the answer row returns (the generated one, or the one the application assigns), or <see langword="null"/> for a key of several columns, which is then only ever the conflict target.</param>
/// <param name="Version">The quoted version column, or <see langword="null"/>: an update then requires the row's version to equal the one given, and increments it.</param>
/// <param name="VersionParameter">The placeholder of the version, or <see langword="null"/>.</param>
/// <param name="IgnoreConflicts">Whether a conflict leaves the existing row as it is (insert or ignore) rather than updating it.</param>
public sealed record UpsertShape(
    string Table,
    IReadOnlyList<string> Columns,
    IReadOnlyList<string> Parameters,
    IReadOnlyList<string> ConflictColumns,
    IReadOnlyList<string> ConflictParameters,
    IReadOnlyList<string> UpdateColumns,
    string? GeneratedKey,
    string? Key,
    string? Version,
    string? VersionParameter,
    bool IgnoreConflicts);
