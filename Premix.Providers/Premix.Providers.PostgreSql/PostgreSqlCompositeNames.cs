using Npgsql;
using Premix.Mapping;

namespace Premix.Providers.PostgreSql;

/// <summary>Tells Npgsql the attribute names of a composite type as the model named them (its naming convention), not Npgsql's own snake_case.</summary>
internal sealed class PostgreSqlCompositeNames(DatabaseComposite composite) : INpgsqlNameTranslator
{
    private readonly Dictionary<string, string> _fields = composite.Fields.ToDictionary(f => f.Property.Name, f => f.Name, StringComparer.Ordinal);

    public string TranslateTypeName(string clrName) => composite.Name;

    public string TranslateMemberName(string clrName) => _fields.TryGetValue(clrName, out var name) ? name : clrName;
}
