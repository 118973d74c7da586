namespace Premix.Providers.PostgreSql;

public sealed partial class PostgreSqlDialect
{
    /// <inheritdoc />
    /// <remarks>
    /// <para>One <c>INSERT … SELECT … FROM unnest(…) WITH ORDINALITY ORDER BY … ON CONFLICT …</c> in a CTE, its RETURNING joined
    /// back to the arrays' rows by the conflict columns to answer each row's position: RETURNING may name only the table's
    /// columns, and its order is not guaranteed, so the position is found by the values that identify the row, which no two
    /// positions share (the caller splits a run where one repeats, as PostgreSQL refuses to update a row twice in one
    /// statement). An updated row's conflict columns hold the existing row's values, equal to the ones given under the
    /// unique index's equality.</para>
    /// <para>A LEFT JOIN, so a written row that the join's <c>=</c> cannot place (a column whose index compares values
    /// otherwise, such as <c>citext</c> or a nondeterministic collation) answers a NULL position rather than vanishing and
    /// reading as ignored or stale. Each written row's <c>ctid</c> comes last, so a row the join placed at two positions (two
    /// values that differ as sent but are equal to the index, inserted once and ignored once) is seen.</para>
    /// </remarks>
    public string? UpsertFromArrays(UpsertShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var columns = Enumerable.Range(0, shape.Columns.Count).Select(i => $"c{i}");
        var targets = shape.ConflictParameters.Select(p => IndexOf(shape.Parameters, p)).ToArray();
        var inserted = shape.IgnoreConflicts ? "TRUE" : "(xmax = 0)";
        var returning = $"{shape.Key ?? "NULL"} AS __k, {inserted} AS __i, {shape.Version ?? "NULL"} AS __r, ctid AS __c, "
            + string.Join(", ", shape.ConflictColumns.Select((c, i) => $"{c} AS __t{i}"));
        var join = string.Join(" AND ", targets.Select((column, i) => $"__w.__t{i} = __v.c{column}"));
        return $"WITH __v AS (SELECT * FROM {Unnest(shape.Parameters)}), "
            + $"__w AS (INSERT INTO {shape.Table} ({string.Join(", ", shape.Columns)}) SELECT {string.Join(", ", columns)} FROM __v ORDER BY __n "
            + $"{OnConflictSql.Clause(shape)} RETURNING {returning}) "
            + $"SELECT __v.__n, __w.__k, __w.__i, __w.__r, __w.__c FROM __w LEFT JOIN __v ON {join}";
    }

    private static int IndexOf(IReadOnlyList<string> parameters, string parameter)
    {
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i] == parameter)
            {
                return i;
            }
        }

        throw new ArgumentException($"The conflict parameter {parameter} is not one of the inserted columns' parameters.", nameof(parameter));
    }
}
