using System.Data.Common;
using Premix.Mapping;
using Premix.Plans;

namespace Premix.Querying;

/// <summary>
/// Reads one column of the current row as its property's type, boxed, without compiling anything: the interpreted
/// counterpart of the compiled read (<c>RowReaders.Read</c>) and of the generated one (<c>ColumnRead</c>), with the same
/// typed getter, enum and <see cref="DateTime"/> rules, conversion and NULL rule. A Select reads its columns with it where no
/// reader can be compiled (native AOT, <see cref="InterpretedProjection"/>). Every getter is a static lambda naming its type,
/// so native AOT compiles each <c>GetFieldValue&lt;T&gt;</c> it calls; no generic method is made at run time.
/// </summary>
internal static class ColumnValues
{
    // The getter the compiled reader calls per stored type: DbDataReader's own where it has one (RowReaders.TypedGetters and
    // the generator's ColumnRead.TypedGetters name the same: change the three tables together), GetFieldValue<T> otherwise.
    private static readonly Dictionary<Type, Func<DbDataReader, int, object>> Getters = new()
    {
        [typeof(long)] = static (r, i) => r.GetInt64(i),
        [typeof(int)] = static (r, i) => r.GetInt32(i),
        [typeof(short)] = static (r, i) => r.GetInt16(i),
        [typeof(bool)] = static (r, i) => r.GetBoolean(i),
        [typeof(double)] = static (r, i) => r.GetDouble(i),
        [typeof(decimal)] = static (r, i) => r.GetDecimal(i),
        [typeof(DateTime)] = static (r, i) => r.GetDateTime(i),
        [typeof(Guid)] = static (r, i) => r.GetGuid(i),
        [typeof(string)] = static (r, i) => r.GetString(i),
        // Every float is exact as a double; MySqlConnector refuses to narrow a DOUBLE column holding float.MaxValue itself.
        [typeof(float)] = static (r, i) => (float)r.GetFieldValue<double>(i),
        [typeof(byte)] = static (r, i) => r.GetFieldValue<byte>(i),
        [typeof(sbyte)] = static (r, i) => r.GetFieldValue<sbyte>(i),
        [typeof(ushort)] = static (r, i) => r.GetFieldValue<ushort>(i),
        [typeof(uint)] = static (r, i) => r.GetFieldValue<uint>(i),
        [typeof(ulong)] = static (r, i) => r.GetFieldValue<ulong>(i),
        [typeof(char)] = static (r, i) => r.GetFieldValue<char>(i),
        [typeof(DateTimeOffset)] = static (r, i) => r.GetFieldValue<DateTimeOffset>(i),
        [typeof(DateOnly)] = static (r, i) => r.GetFieldValue<DateOnly>(i),
        [typeof(TimeOnly)] = static (r, i) => r.GetFieldValue<TimeOnly>(i),
        [typeof(TimeSpan)] = static (r, i) => r.GetFieldValue<TimeSpan>(i),
        [typeof(byte[])] = static (r, i) => r.GetFieldValue<byte[]>(i),
    };

    /// <summary>The column at <paramref name="ordinal"/> as <paramref name="column"/>'s property type, boxed; null for NULL where the type can hold it.</summary>
    /// <param name="reader">The reader, on a row.</param>
    /// <param name="ordinal">The column's place in the select list.</param>
    /// <param name="column">Its property's binding.</param>
    /// <param name="own">The dialect's getter of the column's stored type, one only its engine stores (<see cref="Providers.ISqlDialect.ColumnGetter"/>), or null.</param>
    public static object? Read(DbDataReader reader, int ordinal, ParameterBinding column, Func<DbDataReader, int, object>? own)
    {
        var property = column.Property;
        // A non-nullable value type is read as the compiled reader reads it, unchecked: the getter refuses a NULL. Anything
        // else asks first, so a conversion is never handed a NULL.
        return (property.PropertyType.IsValueType && !property.IsNullableValueType) || !reader.IsDBNull(ordinal)
            ? column.FromStored(Stored(reader, ordinal, column, own))
            : null;
    }

    private static object Stored(DbDataReader reader, int ordinal, ParameterBinding column, Func<DbDataReader, int, object>? own)
    {
        var property = column.Property;
        var type = property.StoredType;
        return property.EnumStorage switch
        {
            _ when EnumArrayColumns.Holds(property) => throw new NotSupportedException(
                $"{property.Name} is an array of a database enum type, which Premix reads only with dynamic code (refused at startup while RuntimeFeature.IsDynamicCodeSupported is false)."),
            EnumStorage.Text => Enum.Parse(type, reader.GetString(ordinal)),
            EnumStorage.EnumType => property.EnumType!.Value(reader.GetString(ordinal)),
            EnumStorage.Number => Enum.ToObject(type, reader.GetInt64(ordinal)),
            // UTC instants come back as UTC whatever the driver says; a wall-clock column must not turn out to hold instants.
            _ when column.DateTimeRule is { HoldsUtc: true } => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc),
            _ when column.DateTimeRule is { } wallClock => wallClock.ReadWallClock(reader.GetDateTime(ordinal)),
            _ when Getters.TryGetValue(type, out var getter) => getter(reader, ordinal),
            _ when own is not null => own(reader, ordinal),
            // An array column or a composite type, both refused at startup under native AOT (the generator refuses arrays, the
            // provider composite types), so only the JIT tests get here: the driver's value, a number cut to the property's width.
            _ => Casts.Unchecked(reader.GetValue(ordinal), type, null)!,
        };
    }
}
