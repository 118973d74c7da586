using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Premix.Mapping;

namespace Premix.Plans;

/// <summary>
/// Typed readers of one column's value from an entity (<see cref="ParameterBinding.TypedReader"/>): a <c>Func&lt;object, T&gt;</c>
/// over the property's typed stored getter and the typed conversion for the driver, so a driver's generic write (Npgsql's
/// <c>NpgsqlBinaryImporter.Write&lt;T&gt;</c>) takes the value with no box. Made by reflection, as <see cref="ColumnArrays"/> are.
/// </summary>
internal static class ColumnReaders
{
    private static readonly MethodInfo DirectMethod = typeof(ColumnReaders).GetMethod(nameof(Direct), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo ConvertedMethod = typeof(ColumnReaders).GetMethod(nameof(Converted), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The reader of <paramref name="property"/>'s stored value (of <paramref name="valueType"/>), through <paramref name="convert"/> (a <c>Func&lt;TValue, T&gt;</c>) when given.</summary>
    [RequiresDynamicCode(NativeAotPlans.Compiled)]
    [UnconditionalSuppressMessage("Trimming", "IL2060:MakeGenericMethod", Justification = "Direct and Converted put no DynamicallyAccessedMembers on their type parameters.")]
    public static Delegate Typed(PropertyModel property, Type valueType, Delegate? convert)
    {
        var entityType = PropertyAccessors.EntityType(property);
        var getter = PropertyAccessors.TypedStoredGetter(property);
        return convert is null
            ? (Delegate)DirectMethod.MakeGenericMethod(entityType, valueType).Invoke(null, [getter])!
            : (Delegate)ConvertedMethod.MakeGenericMethod(entityType, valueType, convert.GetType().GetGenericArguments()[1]).Invoke(null, [getter, convert])!;
    }

    private static Func<object, TValue> Direct<TEntity, TValue>(Func<TEntity, TValue> get) => entity => get((TEntity)entity);

    private static Func<object, TOut> Converted<TEntity, TValue, TOut>(Func<TEntity, TValue> get, Func<TValue, TOut> convert) => entity => convert(get((TEntity)entity));
}
