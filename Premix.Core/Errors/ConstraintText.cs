namespace Premix;

/// <summary>The wording the constraint exceptions share.</summary>
internal static class ConstraintText
{
    /// <summary><c>Email</c>, <c>(Last, First)</c>, or <paramref name="unknown"/> when the columns are not known.</summary>
    public static string Columns(IReadOnlyList<string> columns, string unknown) => columns.Count switch
    {
        0 => unknown,
        1 => columns[0],
        _ => $"({string.Join(", ", columns)})",
    };

    /// <summary><c> (unique constraint ux_customers_email on customers)</c>, with what is known.</summary>
    public static string Where(string? constraint, string kind, string? table) => (constraint, table) switch
    {
        (null, null) => string.Empty,
        (null, _) => $" (table {table})",
        (_, null) => $" ({kind} {constraint})",
        _ => $" ({kind} {constraint} on {table})",
    };
}
