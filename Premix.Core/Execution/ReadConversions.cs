using System.Data;
using System.Globalization;
using Dapper;

namespace Premix.Execution;

/// <summary>
/// Teaches Dapper to read the types drivers return in another shape (SQLite text and blobs, MySQL DATETIME for an offset).
/// Dapper's handlers are process-wide, so each one accepts every shape any supported driver returns.
/// </summary>
internal static class ReadConversions
{
    // An array, walked by index: an IReadOnlyList of this value tuple would be generic code over a value type, which
    // ReadyToRun leaves to the JIT at every start.
    private static readonly (Type Type, SqlMapper.ITypeHandler Handler)[] Table =
    [
        (typeof(Guid), new Handler(value => value switch
        {
            string s => Guid.Parse(s, CultureInfo.InvariantCulture),
            byte[] b => new Guid(b),
            _ => (Guid)value,
        })),
        (typeof(DateTimeOffset), new Handler(value => value switch
        {
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)), // stored as UTC where the engine keeps no offset
            _ => (DateTimeOffset)value,
        })),
        (typeof(DateOnly), new Handler(value => value switch
        {
            string s => DateOnly.Parse(s, CultureInfo.InvariantCulture),
            DateTime d => DateOnly.FromDateTime(d),
            _ => (DateOnly)value,
        })),
        (typeof(TimeOnly), new Handler(value => value switch
        {
            string s => TimeOnly.Parse(s, CultureInfo.InvariantCulture),
            TimeSpan t => TimeOnly.FromTimeSpan(t),
            _ => (TimeOnly)value,
        })),
        (typeof(TimeSpan), new Handler(value => value switch
        {
            string s => TimeSpan.Parse(s, CultureInfo.InvariantCulture),
            _ => (TimeSpan)value,
        })),
        (typeof(decimal), new Handler(value => value switch
        {
            string s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        })),
    ];

    private static readonly Lazy<bool> Registered = new(() =>
    {
        foreach (var (type, handler) in Table)
        {
            SqlMapper.AddTypeHandler(type, handler);
        }

        ReadDatesAndTimesThroughTheHandlers();
        return true;
    });

    /// <summary>Each type Premix teaches Dapper to read, with its handler: what <see cref="EnsureRegistered"/> registers.</summary>
    internal static IReadOnlyList<(Type Type, SqlMapper.ITypeHandler Handler)> Handlers => Table;

    public static void EnsureRegistered() => _ = Registered.Value;

    // Dapper reads DateOnly and TimeOnly with the driver's GetFieldValue<T>, never through a handler: Npgsql refuses text
    // for them and MySqlConnector text for TimeOnly. Mapped without that flag they are read with GetValue, then the handlers
    // of Table; a negative DbType keeps Dapper's binding of such a parameter as it was (the driver chooses its type).
    private static void ReadDatesAndTimesThroughTheHandlers()
    {
        foreach (var type in new[] { typeof(DateOnly), typeof(DateOnly?), typeof(TimeOnly), typeof(TimeOnly?) })
        {
            SqlMapper.AddTypeMap(type, (DbType)(-1), useGetFieldValue: false);
        }
    }

    // Not a generic TypeHandler<T>: one class for every type, so that ReadyToRun precompiles it (a TypeHandler<Guid> and
    // AddTypeHandler<Guid> are Dapper's generic code over a value type, which the JIT compiled at every start, per type).
    // Dapper calls it as it calls a TypeHandler<T> (which implements this same interface) and casts what Parse returns to
    // the registered type: an arm returning another type compiles here and fails at read time (ReadConversionsTests).
    private sealed class Handler(Func<object, object> parse) : SqlMapper.ITypeHandler
    {
        public object Parse(Type destinationType, object value) => parse(value);

        // Premix binds its own parameters; values a user passes to Raw keep Dapper's usual behaviour.
        public void SetValue(IDbDataParameter parameter, object value) => parameter.Value = value;
    }
}
