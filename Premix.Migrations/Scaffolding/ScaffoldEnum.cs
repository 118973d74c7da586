using Premix.Mapping;

namespace Premix.Migrations;

/// <summary>
/// The C# enum generated for a PostgreSQL enum type: one member per label, in the type's order; a member whose name in
/// snake_case is not its label (<c>PG-13</c>, <c>G</c>) carries <c>[EnumLabel("...")]</c>.
/// </summary>
internal sealed class ScaffoldEnum
{
    public ScaffoldEnum(string typeName, string className, IReadOnlyList<string> labels)
    {
        TypeName = typeName;
        ClassName = className;
        var names = new HashSet<string>(StringComparer.Ordinal);
        Members = labels.Select(label => (CSharpNames.Unique(Member(label), names), label))
            .Select(m => (m.Item1, NamingConvention.SnakeCase.Convert(m.Item1) == m.label ? null : m.label)).ToList();
    }

    /// <summary>The type's name as the column's type reads it (<c>mpaa_rating</c>), given to <c>StoredAsEnumType</c>.</summary>
    public string TypeName { get; }

    public string ClassName { get; }

    /// <summary>Each member's name, and its label where the name in snake_case is not the label.</summary>
    public IReadOnlyList<(string Name, string? Label)> Members { get; }

    /// <summary>The enum type of a column of it (<c>mpaa_rating</c>) or of an array of it (<c>mpaa_rating[]</c>).</summary>
    public static string TypeOf(ColumnSchema column) => IsArray(column) ? column.StoreType.TrimEnd()[..^2] : column.StoreType;

    /// <summary>Whether <paramref name="column"/>, a column of an enum type, holds an array of it.</summary>
    public static bool IsArray(ColumnSchema column) => column.StoreType.TrimEnd().EndsWith("[]", StringComparison.Ordinal);

    private static string Member(string label)
    {
        var name = CSharpNames.Pascal(label, "Value");
        return CSharpNames.IsReserved(name) ? name + "Value" : name;
    }
}
