using Premix.Mapping;

namespace Premix.Providers;

/// <summary>A column of a bulk insert: its name, the property that feeds it, and how a value is read for the driver.</summary>
/// <param name="Name">The column's name, unquoted.</param>
/// <param name="QuotedName">The column's name as the dialect quotes it.</param>
/// <param name="Property">The property of the column.</param>
/// <param name="Read">Reads the property of an entity, converted as a parameter's value (<see cref="DBNull"/> for null).</param>
public sealed record BulkInsertColumn(string Name, string QuotedName, PropertyModel Property, Func<object, object> Read)
{
    /// <summary>
    /// Makes a <c>Func&lt;object, T&gt;</c> that reads what <see cref="Read"/> reads, typed (no box per value), or returns
    /// <see langword="null"/> when the column's values are read with <see cref="Read"/> only (see ParameterBinding.TypedReader).
    /// Called once per channel, on its first write.
    /// </summary>
    internal Func<Delegate?> TypedReader { get; init; } = static () => null;
}
