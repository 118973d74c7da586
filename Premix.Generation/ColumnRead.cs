using Premix.Mapping;
using Premix.Plans;

namespace Premix.Generation;

/// <summary>
/// The C# that reads one column of the current row as its property's type: the same typed getter, conversion and NULL
/// handling as the compiled row reader (<c>RowReaders.Read</c>), written out.
/// </summary>
internal static class ColumnRead
{
    // The driver's typed getters of the types DbDataReader has one for, as RowReaders uses them.
    private static readonly Dictionary<Type, string> TypedGetters = new()
    {
        [typeof(long)] = "GetInt64", [typeof(int)] = "GetInt32", [typeof(short)] = "GetInt16", [typeof(bool)] = "GetBoolean",
        [typeof(double)] = "GetDouble", [typeof(decimal)] = "GetDecimal", [typeof(DateTime)] = "GetDateTime", [typeof(Guid)] = "GetGuid",
    };

    /// <summary>Statements that declare <paramref name="variable"/> and set it to the column at <paramref name="ordinal"/>.</summary>
    /// <param name="column">The plan's binding of the property.</param>
    /// <param name="ordinal">The column's place in the select list.</param>
    /// <param name="variable">The local to declare.</param>
    /// <param name="wallClock">The name of the generated method that refuses a UTC instant from a wall-clock column.</param>
    /// <param name="fromStored">For a converted property, the name of the generated method converting the stored value; otherwise <see langword="null"/>.</param>
    public static string Statements(ParameterBinding column, int ordinal, string variable, string wallClock, string? fromStored)
    {
        var property = column.Property;
        var target = CSharpText.TypeName(property.PropertyType);
        var value = fromStored is null ? Value(column, ordinal, wallClock) : $"{fromStored}({Value(column, ordinal, wallClock)})";
        if (property.PropertyType.IsValueType && !property.IsNullableValueType)
        {
            return $"        {target} {variable} = {value};";
        }

        if (property is { IsRequired: true, Owner: null } && fromStored is null)
        {
            // As the compiled reader: a required column is read first, and NULL is looked for only when the getter refuses it
            // (not with a conversion, which must never be handed the null a getter may answer NULL with; nor for a value
            // object's member, whose NULLs tell a null object).
            return $"        {target} {variable};\n"
                + $"        try {{ {variable} = {value}; }}\n"
                + $"        catch (global::System.Exception) when (reader.IsDBNull({ordinal})) {{ {variable} = default!; }}";
        }

        var none = property.PropertyType.IsValueType ? $"default({target})" : "null";
        return $"        {target} {variable} = reader.IsDBNull({ordinal}) ? {none} : {value};";
    }

    private static string Value(ParameterBinding column, int ordinal, string wallClock)
    {
        var property = column.Property;
        var type = property.StoredType;
        return property.EnumStorage switch
        {
            EnumStorage.Text => $"global::System.Enum.Parse<{CSharpText.TypeName(type)}>(reader.GetString({ordinal}))",
            EnumStorage.Number => $"({CSharpText.TypeName(type)})({CSharpText.TypeName(Enum.GetUnderlyingType(type))})reader.GetInt64({ordinal})",
            _ when type == typeof(float) => $"(global::System.Single)reader.GetFieldValue<global::System.Double>({ordinal})",
            _ when type == typeof(string) => $"reader.GetString({ordinal})",
            _ when column.DateTimeRule is { HoldsUtc: true } => $"global::System.DateTime.SpecifyKind(reader.GetDateTime({ordinal}), global::System.DateTimeKind.Utc)",
            _ when column.DateTimeRule is { } rule => $"{wallClock}(reader.GetDateTime({ordinal}), {CSharpText.Literal(rule.WallClockMessage)})",
            _ => TypedGetters.TryGetValue(type, out var getter) ? $"reader.{getter}({ordinal})" : $"reader.GetFieldValue<{CSharpText.TypeName(type)}>({ordinal})",
        };
    }
}
