using System.Text.RegularExpressions;

namespace Premix.Migrations;

/// <summary>
/// The C# class generated for a PostgreSQL composite type, stored with <c>StoredAsCompositeType</c>: one nullable property per
/// attribute (an attribute can always be NULL), named exactly as the attribute, since the mapping names a composite type's
/// attributes after the class's properties (through the naming convention, which keeps a lower-case snake_case name and,
/// by default, any name). A type the mapping cannot hold is <see cref="Refused"/>, and its columns are left out.
/// </summary>
internal sealed partial class ScaffoldComposite
{
    public ScaffoldComposite(string typeName, string className, IReadOnlyList<CompositeAttributeSchema> attributes, SchemaDialect dialect)
    {
        TypeName = typeName;
        ClassName = className;
        var properties = new List<(string Name, Type Type, ColumnSchema Attribute)>();
        foreach (var attribute in attributes.Select(a => a.AsColumn()))
        {
            if (!Identifier().IsMatch(attribute.Name) || attribute.Name == className.TrimStart('@') || CSharpNames.IsReserved(attribute.Name))
            {
                Refused ??= $"its attribute \"{attribute.Name}\" is no name a property of the class can have, and the mapping names attributes after properties";
            }
            else if (dialect.CompositeAttributeType(attribute) is { } type)
            {
                properties.Add((CSharpNames.IsKeyword(attribute.Name) ? "@" + attribute.Name : attribute.Name, type, attribute));
            }
            else
            {
                Refused ??= $"its attribute {attribute.Name} is {attribute.StoreType}, which Premix does not put in a composite type";
            }
        }

        Refused ??= properties.Count == 0 ? "it has no attributes" : null;
        Properties = properties;
    }

    /// <summary>The type's name as the column's type reads it (<c>address</c>), given to <c>StoredAsCompositeType</c>.</summary>
    public string TypeName { get; }

    public string ClassName { get; }

    /// <summary>Each attribute's property: its C# name (<c>@class</c> for a keyword: the property is still named <c>class</c>), its type (not nullable) and the attribute.</summary>
    public IReadOnlyList<(string Name, Type Type, ColumnSchema Attribute)> Properties { get; }

    /// <summary>Why the type gets no class (and its columns are left out), or <see langword="null"/>.</summary>
    public string? Refused { get; }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
