namespace Premix.Migrations;

/// <summary>
/// Tells a diff that compares the mapping with the wrong names, or with the wrong database, from one that describes real
/// changes. Either makes a script that re-creates every table beside the existing ones (or drops and re-adds every column),
/// which is never what anybody wants.
/// </summary>
internal static class MismatchDetector
{
    private const int Examples = 3;

    /// <summary>
    /// Why <paramref name="desired"/> and <paramref name="actual"/> seem not to describe the same tables, or
    /// <see langword="null"/> when they do:
    /// <list type="bullet">
    /// <item>a mapped table or column is missing while the database has one whose name differs only in case and
    /// underscores (<c>OrderLine</c> and <c>order_line</c>): the naming convention does not match the database's;</item>
    /// <item>no mapped table exists, while the database holds other tables: it is another application's database.</item>
    /// </list>
    /// </summary>
    public static string? Warn(DatabaseSchema desired, DatabaseSchema actual)
    {
        var twins = new List<(string Mapped, string Existing)>();
        var missingTables = 0;
        foreach (var table in desired.Tables)
        {
            if (actual.Find(table.Schema, table.Name) is { } current)
            {
                twins.AddRange(table.Columns
                    .Where(c => current.FindColumn(c.Name) is null)
                    .Select(c => (Mapped: c.Name, Twin: current.Columns.FirstOrDefault(e => table.FindColumn(e.Name) is null && SameLetters(e.Name, c.Name))))
                    .Where(c => c.Twin is not null)
                    .Select(c => ($"{table.Name}.{c.Mapped}", $"{current.Name}.{c.Twin!.Name}")));
                continue;
            }

            missingTables++;
            if (actual.Tables.FirstOrDefault(t => desired.Find(t.Schema, t.Name) is null && SchemaNames.SameSchema(t.Schema, table.Schema) && SameLetters(t.Name, table.Name)) is { } twin)
            {
                twins.Add((table.Name, twin.Name));
            }
        }

        if (twins.Count > 0)
        {
            var snakeCaseInDatabase = twins.Count(t => t.Existing.Contains('_', StringComparison.Ordinal) && !t.Mapped.Contains('_', StringComparison.Ordinal)) * 2 > twins.Count;
            return $"{twins.Count} mapped name(s) are missing from the database, which has the same names spelled otherwise ({Join(twins.Select(t => $"{t.Mapped} / {t.Existing}"), twins.Count)}):"
                + $" the naming convention probably does not match the database's, whose names look {(snakeCaseInDatabase ? "snake_case (NamingConvention.SnakeCase)" : "as written in C# (NamingConvention.AsWritten)")}.";
        }

        var others = actual.Tables.Where(t => !SchemaDiffer.IsPremixTable(t)).Select(t => t.DisplayName).ToList();
        return missingTables > 0 && missingTables == desired.Tables.Count && others.Count > 0
            ? $"None of the {missingTables} mapped table(s) exists in the database, which holds {others.Count} other table(s) ({Join(others, others.Count)}): the connection probably names another database (or schema) than the application's."
            : null;
    }

    // The names a naming convention can make of one C# name: equal but for case and underscores.
    private static bool SameLetters(string a, string b) =>
        string.Equals(a.Replace("_", string.Empty, StringComparison.Ordinal), b.Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    private static string Join(IEnumerable<string> names, int count) =>
        string.Join(", ", names.Take(Examples)) + (count > Examples ? ", ..." : string.Empty);
}
