using System.Data.Common;
using System.Reflection;

namespace Premix;

/// <summary>The names a raw query's columns may bind to on <typeparamref name="T"/>, found once per type.</summary>
internal static class RawTarget<T>
{
    private static readonly HashSet<string> Names = FindNames();

    public static void ThrowIfUnmatched(DbDataReader reader, string sql)
    {
        if (IsScalar)
        {
            return;
        }

        List<string>? unmatched = null;
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var column = reader.GetName(i);
            if (!Names.Contains(column))
            {
                (unmatched ??= []).Add(column);
            }
        }

        if (unmatched is not null)
        {
            throw new RawMappingException(typeof(T), unmatched, sql);
        }
    }

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
