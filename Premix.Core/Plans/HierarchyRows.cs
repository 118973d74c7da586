using System.Data.Common;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// The rows of a table-per-hierarchy mapping: one select list for every type of the hierarchy (the base's columns, then
/// each subclass's), and a reader that reads the discriminator first and builds the class its value names.
/// </summary>
internal static class HierarchyRows
{
    /// <summary>The columns of the shared table, each once, in select-list order.</summary>
    public static List<PropertyModel> Columns(EntityModel root, IEnumerable<EntityModel> members) =>
        root.Properties.Concat(members.SelectMany(m => m.Properties.Where(p => p.IsDeclaredBySubtype)))
            .DistinctBy(p => p.Column, StringComparer.OrdinalIgnoreCase)
            .ToList();

    /// <summary>
    /// A reader that builds, from each row, the class whose discriminator value the row holds, among the classes
    /// <paramref name="entity"/> reads (itself and its subclasses).
    /// </summary>
    public static Func<DbDataReader, object> Dispatch(EntityModel entity, Func<DbDataReader, object?> discriminator, IReadOnlyDictionary<object, Func<DbDataReader, object>> readers)
    {
        var column = entity.Inheritance!.Discriminator;
        return row =>
        {
            var value = LazyDelegates.Resolved(discriminator)(row);
            return value is not null && readers.TryGetValue(value, out var read) ? LazyDelegates.Resolved(read)(row) : throw Unknown(entity, column, value);
        };
    }

    private static PremixException Unknown(EntityModel entity, PropertyModel column, object? value)
    {
        var known = string.Join(", ", entity.Inheritance!.Values.Select(v => $"'{v.Value}' ({v.Key.Name})"));
        var shown = column.IsSensitive ? "***" : value is null ? "NULL" : $"'{value}'";
        return new PremixException(
            $"A row of table '{entity.Table}' holds {shown} in the discriminator column '{column.Column}', which names no class {entity.Name} reads (it reads {known}). "
            + $"Correct the row, or map its class with HasValue<TClass>(...) in {entity.Inheritance.Root.Name}'s HasDiscriminator.");
    }
}
