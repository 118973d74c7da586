namespace Premix.Providers.PostgreSql;

/// <summary>
/// The typed-array builders of the element types a list compared with a column usually has (<c>ids.Contains(x.Id)</c>),
/// named in code so that native AOT compiles them; any other type is made at run time, where dynamic code runs.
/// </summary>
internal static class PostgreSqlArrayBuilders
{
    private static readonly Dictionary<Type, Func<IReadOnlyList<object>, object>> Builders = new()
    {
        [typeof(short)] = PostgreSqlDialect.ArrayOf<short>,
        [typeof(int)] = PostgreSqlDialect.ArrayOf<int>,
        [typeof(long)] = PostgreSqlDialect.ArrayOf<long>,
        [typeof(decimal)] = PostgreSqlDialect.ArrayOf<decimal>,
        [typeof(double)] = PostgreSqlDialect.ArrayOf<double>,
        [typeof(float)] = PostgreSqlDialect.ArrayOf<float>,
        [typeof(bool)] = PostgreSqlDialect.ArrayOf<bool>,
        [typeof(string)] = PostgreSqlDialect.ArrayOf<string>,
        [typeof(Guid)] = PostgreSqlDialect.ArrayOf<Guid>,
        [typeof(DateTime)] = PostgreSqlDialect.ArrayOf<DateTime>,
        [typeof(DateTimeOffset)] = PostgreSqlDialect.ArrayOf<DateTimeOffset>,
        [typeof(DateOnly)] = PostgreSqlDialect.ArrayOf<DateOnly>,
        [typeof(TimeOnly)] = PostgreSqlDialect.ArrayOf<TimeOnly>,
        [typeof(TimeSpan)] = PostgreSqlDialect.ArrayOf<TimeSpan>,
    };

    /// <summary>The element types with a builder, for the message that refuses another under native AOT.</summary>
    public static string KnownNames { get; } = string.Join(", ", Builders.Keys.Select(t => t.Name));

    /// <summary>The builder of <paramref name="element"/>[], or <see langword="null"/> when it is not one of the known types.</summary>
    public static Func<IReadOnlyList<object>, object>? Known(Type element) => Builders.GetValueOrDefault(element);
}
