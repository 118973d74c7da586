using Premix.Mapping;

namespace Premix.Providers;

/// <summary>Shared pieces of the CLR-to-column type mapping, so each dialect states only what it does differently.</summary>
public static class ColumnTypes
{
    /// <summary>
    /// The CLR type whose column a property needs: enums become <see cref="string"/> or a number, their underlying integer
    /// type where every engine stores it, otherwise a wider signed type (docs/types.md, "Enums stored as numbers").
    /// </summary>
    public static Type StorageType(PropertyModel property)
    {
        ArgumentNullException.ThrowIfNull(property);
        return property.EnumStorage switch
        {
            EnumStorage.Text or EnumStorage.EnumType => typeof(string),
            EnumStorage.Number => EnumNumber(property.StoredType),
            _ => property.StoredType,
        };
    }

    /// <summary>
    /// The number type an enum stored as a number is written as: its underlying type when every engine stores it (<c>byte</c>,
    /// <c>short</c>, <c>int</c>, <c>long</c>), else the wider signed type that holds all its values (<c>sbyte</c> as
    /// <c>short</c>, <c>ushort</c> as <c>int</c>, <c>uint</c> as <c>long</c>), and <c>ulong</c> as <c>long</c>, which holds its
    /// values up to <see cref="long.MaxValue"/> (a larger one is refused before SQL): Npgsql writes no unsigned type but
    /// <c>uint</c> (as <c>oid</c>), and a column of one signed type compares and sorts the same on every engine.
    /// </summary>
    internal static Type EnumNumber(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        var underlying = Enum.GetUnderlyingType(enumType);
        return underlying == typeof(sbyte) ? typeof(short)
            : underlying == typeof(ushort) ? typeof(int)
            : underlying == typeof(uint) || underlying == typeof(ulong) ? typeof(long)
            : underlying;
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
