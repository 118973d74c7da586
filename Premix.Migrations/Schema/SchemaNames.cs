namespace Premix.Migrations;

/// <summary>How schema objects are matched by name: case-insensitively, as all three engines treat unquoted names.</summary>
internal static class SchemaNames
{
    public static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    public static bool SameSchema(string? a, string? b) => a is null ? b is null : b is not null && Same(a, b);

    public static bool SameColumns(IReadOnlyList<string> a, IReadOnlyList<string> b) => a.Count == b.Count && a.Zip(b).All(p => Same(p.First, p.Second));
}
