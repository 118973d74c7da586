namespace Premix.Providers.MySql;

/// <summary>
/// <c>INSERT … ON DUPLICATE KEY UPDATE</c> with the answer row <see cref="UpsertShape"/> describes, which MySQL and MariaDB
/// cannot return from the INSERT itself (no RETURNING on MySQL), so a SELECT in the same command reads it.
/// </summary>
/// <remarks>
/// <para>The values given are named <c>VALUES(c)</c> (MariaDB, which rejects the row alias, and MySQL before 8.0.20) or
/// through the row alias <c>AS __new … __new.c</c> (MySQL 8.0.20+, which deprecates <c>VALUES()</c>).</para>
/// <para>A key the application assigns is read back by the conflict columns after an update (the row found by a unique
/// index keeps its own key). A generated key is written back on both paths: the update sets <c>id = LAST_INSERT_ID(id)</c>, so
/// <c>LAST_INSERT_ID()</c> is the existing row's key after an update as it is the new row's after an insert.</para>
/// <para>Without a WHERE on ON DUPLICATE KEY UPDATE, a version guard is one <c>IF</c> per column, the version assigned last
/// (assignments run left to right and see the values set before them). The connection counts found rows (Premix turns
/// <c>UseAffectedRows</c> off), so ROW_COUNT() is 1 for an insert and for a row left as it was, 2 for a row changed: with
/// a version column an update always changes the row, so 2 means updated, and 1 with the version given means inserted.</para>
/// <para>Insert-or-ignore updates one column to itself rather than using <c>INSERT IGNORE</c>, which would also turn other
/// errors (a NULL in a NOT NULL column, a value too long, a foreign key) into warnings and write a row anyway.
/// <c>LAST_INSERT_ID</c> tells whether it inserted: set to 0 first, it is the new key after an insert and stays 0 after an
/// ignored one; without a generated key the ignored path sets it to 1.</para>
/// </remarks>
internal static class MySqlUpsertSql
{
    private const string Alias = "`__new`";

    public static string Render(UpsertShape shape, bool rowAlias)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var insert = InsertSql.Plain(shape.Table, shape.Columns, shape.Parameters, "() VALUES ()") + (rowAlias ? " AS " + Alias : string.Empty);
        string Given(string column) => rowAlias ? $"{Alias}.{column}" : $"VALUES({column})";
        var firstConflict = shape.ConflictColumns[0];
        var key = shape.GeneratedKey;

        if (shape.IgnoreConflicts)
        {
            return key is not null
                ? $"DO LAST_INSERT_ID(0); {insert} ON DUPLICATE KEY UPDATE {key} = {key}; SELECT LAST_INSERT_ID(), TRUE, NULL FROM DUAL WHERE LAST_INSERT_ID() <> 0"
                : $"DO LAST_INSERT_ID(0); {insert} ON DUPLICATE KEY UPDATE {firstConflict} = IF(LAST_INSERT_ID(1) = 1, {firstConflict}, {firstConflict}); SELECT NULL, TRUE, NULL FROM DUAL WHERE LAST_INSERT_ID() = 0";
        }

        var set = new List<string>();
        if (key is not null)
        {
            set.Add($"{key} = LAST_INSERT_ID({key})");
        }

        var version = shape.Version;
        foreach (var column in shape.UpdateColumns)
        {
            set.Add(version is null ? $"{column} = {Given(column)}" : $"{column} = IF({version} = {Given(version)}, {Given(column)}, {column})");
        }

        if (version is not null)
        {
            set.Add($"{version} = IF({version} = {Given(version)}, {version} + 1, {version})");
            var row = key is not null
                ? $"{key} = LAST_INSERT_ID()"
                : string.Join(" AND ", shape.ConflictColumns.Select((c, i) => $"{c} = {shape.ConflictParameters[i]}"));
            return $"{insert} ON DUPLICATE KEY UPDATE {string.Join(", ", set)}; "
                + $"SELECT {shape.Key ?? "NULL"}, ROW_COUNT() = 1, {version} FROM {shape.Table} WHERE {row} AND (ROW_COUNT() = 2 OR {version} = {shape.VersionParameter}) FOR UPDATE";
        }

        if (key is not null)
        {
            // 1 is an insert or a row whose values were already those given: only 2 (changed) is certain.
            return $"{insert} ON DUPLICATE KEY UPDATE {string.Join(", ", set)}; SELECT LAST_INSERT_ID(), CASE ROW_COUNT() WHEN 2 THEN FALSE END, NULL";
        }

        set.Add($"{firstConflict} = IF(LAST_INSERT_ID(1) = 1, {firstConflict}, {firstConflict})");
        return $"DO LAST_INSERT_ID(0); {insert} ON DUPLICATE KEY UPDATE {string.Join(", ", set)}; SELECT {RowKey(shape)}, LAST_INSERT_ID() = 0, NULL";
    }

    /// <summary>
    /// The many-row upsert or insert-or-ignore (MariaDB 10.5+, which returns rows from an INSERT). MariaDB answers one row per
    /// row listed, in list order, right after writing it, also for a row listed twice (which then sees the earlier one's
    /// write, as a statement per row would). <c>VALUES(c)</c>: MariaDB rejects the row alias, and MySQL has no RETURNING.
    /// </summary>
    /// <remarks>
    /// <para>An upsert of an entity with a generated key and no version tells whether it inserted by <c>LAST_INSERT_ID()</c>,
    /// which the update sets to the row's key and each answer row resets to 0 (so an inserted row, whose new key differs
    /// from 0 and from any earlier key, reads as inserted).</para>
    /// <para>Every other shape flags the row in <c>LAST_INSERT_ID</c>, which each answer row reads and resets to 0: 1 when the
    /// update wrote the row, 2 when it left it as it was (the version given is stale, or insert-or-ignore found the row), 0
    /// after an insert, which sets nothing here. The fourth answer column is 0 for a row not written, which the commit reads
    /// as no answer (a stale version names that row; an ignored row was not written). The version guard is one <c>IF</c> per
    /// column, the version assigned last, as in <see cref="Render"/>.</para>
    /// </remarks>
    public static string? RenderRows(UpsertShape shape, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(rows);
        var sql = new System.Text.StringBuilder("DO LAST_INSERT_ID(0); INSERT INTO ").Append(shape.Table).Append(" (").AppendJoin(", ", shape.Columns).Append(") VALUES ");
        for (var row = 0; row < rows.Count; row++)
        {
            sql.Append(row == 0 ? "(" : ", (").AppendJoin(", ", rows[row]).Append(')');
        }

        sql.Append(" ON DUPLICATE KEY UPDATE ");
        if (shape.GeneratedKey is { } key && shape.Version is null && !shape.IgnoreConflicts)
        {
            sql.Append(key).Append(" = LAST_INSERT_ID(").Append(key).Append(')');
            foreach (var column in shape.UpdateColumns)
            {
                sql.Append(", ").Append(column).Append(" = VALUES(").Append(column).Append(')');
            }

            return sql.Append(" RETURNING ").Append(key).Append(", LAST_INSERT_ID() <> ").Append(key).Append(", NULLIF(LAST_INSERT_ID(0), 0)").ToString();
        }

        var first = shape.ConflictColumns[0];
        var set = new List<string>();
        if (shape.IgnoreConflicts)
        {
            set.Add($"{first} = IF(LAST_INSERT_ID(2) = 2, {first}, {first})");
        }
        else if (shape.Version is { } version)
        {
            set.AddRange(shape.UpdateColumns.Select(c => $"{c} = IF({version} = VALUES({version}), VALUES({c}), {c})"));
            set.Add($"{version} = IF({version} = VALUES({version}), IF(LAST_INSERT_ID(1) = 1, {version} + 1, {version}), IF(LAST_INSERT_ID(2) = 2, {version}, {version}))");
        }
        else
        {
            set.AddRange(shape.UpdateColumns.Select(c => $"{c} = VALUES({c})"));
            set.Add($"{first} = IF(LAST_INSERT_ID(1) = 1, {first}, {first})");
        }

        return sql.AppendJoin(", ", set)
            .Append(" RETURNING ").Append(shape.Key ?? "NULL").Append(", LAST_INSERT_ID() = 0, ").Append(shape.Version ?? "NULL")
            .Append(", (LAST_INSERT_ID() <> 2) + LAST_INSERT_ID(0)").ToString();
    }

    // The key of the row written, read by the conflict columns: on a unique index other than the key, the row found keeps its
    // own key, whatever the entity's was. (NULL in a conflict column never conflicts: the row is the one inserted, and NULL
    // leaves the key given as it is.)
    private static string RowKey(UpsertShape shape)
    {
        if (shape.Key is null || (shape.ConflictColumns.Count == 1 && shape.ConflictColumns[0] == shape.Key))
        {
            return "NULL";
        }

        var row = string.Join(" AND ", shape.ConflictColumns.Select((c, i) => $"{c} = {shape.ConflictParameters[i]}"));
        return $"(SELECT {shape.Key} FROM {shape.Table} WHERE {row})";
    }
}
