using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Premix.Mapping;

namespace Premix;

/// <summary>
/// Which columns of a raw statement's result fill which member of the target type, matched as the model names columns:
/// a mapped entity by its own column names, any other class by the model's naming convention (with snake_case,
/// <c>payment_id</c> fills <c>PaymentId</c>). Columns named like the member itself need nothing and are left out.
/// </summary>
internal static class RawColumnNames
{
    /// <summary>Column name to member name (case-insensitive), or <see langword="null"/> when every column can keep its name.</summary>
    public static IReadOnlyDictionary<string, string>? For(Model model, [DynamicallyAccessedMembers(RawTarget.Members)] Type target)
    {
        var renames = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (model.Find(target) is { } entity)
        {
            foreach (var property in entity.Properties)
            {
                Add(renames, property.Column, property.Property.Name);
            }
        }
        else if (!ReferenceEquals(model.Naming, NamingConvention.AsWritten) && !IsScalar(target))
        {
            foreach (var member in MemberNames(target))
            {
                Add(renames, model.Naming.Convert(member), member);
            }
        }

        return renames.Count == 0 ? null : renames;
    }

    private static void Add(Dictionary<string, string> renames, string column, string member)
    {
        if (!string.Equals(column, member, StringComparison.OrdinalIgnoreCase))
        {
            renames.TryAdd(column, member);
        }
    }

    // Settable properties and constructor parameters: what Dapper fills from columns.
    private static IEnumerable<string> MemberNames([DynamicallyAccessedMembers(RawTarget.Members)] Type target) =>
        target.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null).Select(p => p.Name)
            .Concat(target.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name!));

    private static bool IsScalar(Type type) => type.IsValueType || type == typeof(string) || type == typeof(object) || type == typeof(byte[]);
}
