namespace Premix.Providers;

/// <summary>
/// <c>INSERT … ON CONFLICT (…) DO UPDATE SET c = excluded.c</c> (or <c>DO NOTHING</c>) with <c>RETURNING</c>, the upsert
/// PostgreSQL (9.5+) and SQLite (3.35+ for RETURNING) share, for dialects to build on.
/// </summary>
public static class OnConflictSql
{
    /// <summary>Renders <paramref name="shape"/> with the answer row <see cref="UpsertShape"/> describes.</summary>
    /// <param name="shape">What the statement writes.</param>
    /// <param name="insertedSql">SQL true when the row was inserted rather than updated, evaluated in RETURNING (PostgreSQL's <c>xmax = 0</c>), or <c>NULL</c> where the engine cannot tell.</param>
    public static string Render(UpsertShape shape, string insertedSql)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var insert = InsertSql.Plain(shape.Table, shape.Columns, shape.Parameters, "DEFAULT VALUES");
        var answer = $"{shape.Key ?? "NULL"}, {(shape.IgnoreConflicts ? "TRUE" : insertedSql)}, {shape.Version ?? "NULL"}";
        return $"{insert} {Clause(shape)} RETURNING {answer}";
    }

    /// <summary>
    /// The <c>ON CONFLICT (…) DO UPDATE SET … [WHERE version matches]</c> (or <c>DO NOTHING</c>) clause of <paramref name="shape"/>,
    /// without RETURNING, for an INSERT of one row or of many.
    /// </summary>
    /// <param name="shape">What the statement writes.</param>
    public static string Clause(UpsertShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var target = string.Join(", ", shape.ConflictColumns);
        if (shape.IgnoreConflicts)
        {
            return $"ON CONFLICT ({target}) DO NOTHING";
        }

        var set = shape.UpdateColumns.Select(c => $"{c} = excluded.{c}").ToList();
        if (shape.Version is not null)
        {
            set.Add($"{shape.Version} = {shape.Table}.{shape.Version} + 1");
        }
        else if (set.Count == 0)
        {
            set.Add($"{shape.ConflictColumns[0]} = excluded.{shape.ConflictColumns[0]}"); // nothing else to set: the row is still "updated", so RETURNING answers
        }

        var guard = shape.Version is null ? string.Empty : $" WHERE {shape.Table}.{shape.Version} = excluded.{shape.Version}";
        return $"ON CONFLICT ({target}) DO UPDATE SET {string.Join(", ", set)}{guard}";
    }
}
