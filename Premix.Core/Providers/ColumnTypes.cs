using Premix.Mapping;

namespace Premix.Providers;

/// <summary>Shared pieces of the CLR-to-column type mapping, so each dialect states only what it does differently.</summary>
public static class ColumnTypes
{
    /// <summary>The CLR type whose column a property needs: enums become <see cref="string"/> or their underlying integer.</summary>
    public static Type StorageType(PropertyModel property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.EnumStorage switch
        {
            EnumStorage.Text or EnumStorage.EnumType => typeof(string),
            EnumStorage.Number => Enum.GetUnderlyingType(property.StoredType),
            _ => property.StoredType,
        };
    }

    /// <summary>The length a text column needs: the declared maximum, or enough for the longest enum name or label.</summary>
    public static int? TextLength(PropertyModel property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.EnumStorage switch
        {
            EnumStorage.Text => Math.Max(1, Enum.GetNames(property.StoredType).Max(n => n.Length)),
            EnumStorage.EnumType => Math.Max(1, property.EnumType!.Labels.Max(l => l.Length)),
            _ => property.MaxLength,
        };
    }
}
