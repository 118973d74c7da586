using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace Premix;

/// <summary>The names a raw query's columns may bind to on a target type, found once per type.</summary>
internal static class RawTarget
{
    /// <summary>
    /// What a raw query's target type keeps in a trimmed application: the members its rows are mapped onto (by Dapper, by
    /// name) and the strict check reads.
    /// </summary>
    public const DynamicallyAccessedMemberTypes Members = DynamicallyAccessedMemberTypes.PublicConstructors | DynamicallyAccessedMemberTypes.PublicProperties;

    /// <summary>Throws when a column of <paramref name="reader"/> binds to none of <paramref name="names"/> (<see cref="RawTarget{T}.Names"/>).</summary>
    public static void ThrowIfUnmatched(Type target, HashSet<string>? names, DbDataReader reader, string sql)
    {
        if (names is null)
        {
            return;
        }

        List<string>? unmatched = null;
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var column = reader.GetName(i);
            if (!names.Contains(column))
            {
                (unmatched ??= []).Add(column);
            }
        }

        if (unmatched is not null)
        {
            throw new RawMappingException(target, unmatched, sql);
        }
    }
}

/// <summary>The names a raw query's columns may bind to on <typeparamref name="T"/>, found once.</summary>
internal static class RawTarget<[DynamicallyAccessedMembers(RawTarget.Members)] T>
{
    /// <summary>The names, or <see langword="null"/> for a single value (a number, a string), which binds no column by name.</summary>
    public static HashSet<string>? Names { get; } = IsScalar ? null : FindNames();

    private static bool IsScalar => typeof(T).IsPrimitive || typeof(T) == typeof(string) || Nullable.GetUnderlyingType(typeof(T)) is not null || typeof(T).IsValueType;

    private static HashSet<string> FindNames()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not null)
            {
                names.Add(property.Name);
            }
        }

        foreach (var constructor in typeof(T).GetConstructors())
        {
            foreach (var parameter in constructor.GetParameters())
            {
                names.Add(parameter.Name!);
            }
        }

        return names;
    }
}
