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
    // Dapper reads DateOnly and TimeOnly with the driver's GetFieldValue<T>, never through a handler: Npgsql refuses text
    // for them and MySqlConnector text for TimeOnly. Mapped without that flag they are read with GetValue, then the handlers
    // below; a negative DbType keeps Dapper's binding of such a parameter as it was (the driver chooses its type).
    private static void ReadDatesAndTimesThroughTheHandlers()
    {
        foreach (var type in new[] { typeof(DateOnly), typeof(DateOnly?), typeof(TimeOnly), typeof(TimeOnly?) })
        {
            SqlMapper.AddTypeMap(type, (DbType)(-1), useGetFieldValue: false);
        }
    }

    private static readonly Lazy<bool> Registered = new(() =>
    {
        SqlMapper.AddTypeHandler(new Handler<Guid>(value => value switch
        {
            string s => Guid.Parse(s, CultureInfo.InvariantCulture),
            byte[] b => new Guid(b),
            _ => (Guid)value,
        }));
        SqlMapper.AddTypeHandler(new Handler<DateTimeOffset>(value => value switch
        {
            string s => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)), // stored as UTC where the engine keeps no offset
            _ => (DateTimeOffset)value,
        }));
        SqlMapper.AddTypeHandler(new Handler<DateOnly>(value => value switch
        {
            string s => DateOnly.Parse(s, CultureInfo.InvariantCulture),
            DateTime d => DateOnly.FromDateTime(d),
            _ => (DateOnly)value,
        }));
        SqlMapper.AddTypeHandler(new Handler<TimeOnly>(value => value switch
        {
            string s => TimeOnly.Parse(s, CultureInfo.InvariantCulture),
            TimeSpan t => TimeOnly.FromTimeSpan(t),
            _ => (TimeOnly)value,
        }));
        SqlMapper.AddTypeHandler(new Handler<TimeSpan>(value => value switch
        {
            string s => TimeSpan.Parse(s, CultureInfo.InvariantCulture),
            _ => (TimeSpan)value,
        }));
        SqlMapper.AddTypeHandler(new Handler<decimal>(value => value switch
        {
            string s => decimal.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
            _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        }));
        ReadDatesAndTimesThroughTheHandlers();
        return true;
    });

    public static void EnsureRegistered() => _ = Registered.Value;

    private sealed class Handler<T>(Func<object, T> parse) : SqlMapper.TypeHandler<T>
    {
        public override T Parse(object value) => parse(value);

        // Premix binds its own parameters; values a user passes to Raw keep Dapper's usual behaviour.
        public override void SetValue(IDbDataParameter parameter, T? value) => parameter.Value = value;
    }
}
