using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Dapper;
using Premix.Providers;

namespace Premix;

/// <summary>
/// Raw SQL written as an interpolated string, safe by construction: every hole becomes a parameter, so
/// <c>premix.Raw($"SELECT * FROM customers WHERE name = {name}")</c> sends <c>name</c> as a value, never as SQL.
/// The C# compiler builds it; you do not create one yourself.
/// </summary>
/// <remarks>
/// A hole holding <see cref="Identifier(string[])"/> is written as a quoted name instead (a table chosen at run time);
/// a hole holding <see cref="Sensitive{T}(T)"/> is a parameter masked in logs and error messages. A list in a hole
/// right after <c>IN</c> becomes one parameter per item on every engine (<c>WHERE id IN {ids}</c>); anywhere else a list
/// is one parameter (a PostgreSQL array: <c>WHERE id = ANY({ids})</c>).
/// </remarks>
[InterpolatedStringHandler]
public struct RawSql
{
    // An empty set every engine accepts: x IN () is false, as in C#.
    private const string EmptySet = "(SELECT NULL FROM (SELECT 1 AS one) AS empty_set WHERE 1 = 0)";

    private List<Part>? _parts;

    /// <summary>Called by the compiler for an interpolated string passed as <see cref="RawSql"/>.</summary>
    public RawSql(int literalLength, int formattedCount) => _parts = new List<Part>((2 * formattedCount) + 1);

    /// <summary>Called by the compiler with a literal piece of the SQL.</summary>
    public void AppendLiteral(string value) => (_parts ??= []).Add(new Part(value, null, Kind.Literal));

    /// <summary>Called by the compiler with a hole: a parameter, or a name from <see cref="Identifier(string[])"/>.</summary>
    public void AppendFormatted<T>(T value)
    {
        var part = value switch
        {
            RawSqlIdentifier identifier => new Part(null, identifier, Kind.Identifier),
            RawSqlSensitive sensitive => new Part(null, sensitive.Value, Kind.SensitiveValue),
            _ => new Part(null, value, Kind.Value),
        };
        (_parts ??= []).Add(part);
    }

    /// <summary>Refuses a hole with a format (<c>{x:yyyy}</c>): a hole is a parameter, sent as a value, never formatted into the text.</summary>
    /// <exception cref="ArgumentException">Always.</exception>
    public void AppendFormatted<T>(T value, string? format) => throw new ArgumentException(
        $"A hole in Raw($\"...\") becomes a parameter, so it takes no format (':{format}'). Pass the value as it is, or convert it in C# before the query.", nameof(format));

    /// <summary>Refuses a hole with an alignment (<c>{x,10}</c>): a hole is a parameter, never padded into the text.</summary>
    /// <exception cref="ArgumentException">Always.</exception>
    public void AppendFormatted<T>(T value, int alignment) => throw new ArgumentException(
        $"A hole in Raw($\"...\") becomes a parameter, so it takes no alignment (',{alignment}'). Pass the value as it is.", nameof(alignment));

    /// <summary>A table or column name for a hole, written quoted by the database's rules (<c>"orders"</c>, <c>`orders`</c>); several parts are joined with dots (schema, table).</summary>
    /// <exception cref="ArgumentException">No part, or an empty part.</exception>
    public static RawSqlIdentifier Identifier(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Length == 0 || Array.Exists(parts, string.IsNullOrEmpty))
        {
            throw new ArgumentException("RawSql.Identifier needs at least one name, and no part may be empty.", nameof(parts));
        }

        return new RawSqlIdentifier(parts);
    }

    /// <summary>A value for a hole that carries personal data: a parameter like any other, shown as <c>***</c> in logs and scrubbed from error messages.</summary>
    public static RawSqlSensitive Sensitive<T>(T value) => new(value);

    /// <summary>The SQL with <c>@pN</c> for each parameter and identifiers unquoted, for reading in a debugger.</summary>
    public override readonly string ToString() => Build(null, checkHoles: false).Sql;

    /// <summary>The SQL text for <paramref name="dialect"/> and its parameters <c>@p0</c>, <c>@p1</c>, … with the sensitive ones named.</summary>
    /// <exception cref="ArgumentException">A hole is inside quotes or a comment (when <paramref name="checkHoles"/>).</exception>
    internal readonly (string Sql, DynamicParameters Parameters, IReadOnlySet<string> Sensitive) Build(ISqlDialect? dialect, bool checkHoles = true)
    {
        var sql = new StringBuilder();
        var parameters = new DynamicParameters();
        var sensitive = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var scanner = new SqlTextScanner();
        var index = 0;
        foreach (var part in _parts ?? [])
        {
            if (checkHoles && part.Kind != Kind.Literal && scanner.Inside is { } inside)
            {
                throw HoleInside(inside, sql.ToString());
            }

            switch (part.Kind)
            {
                case Kind.Literal:
                    sql.Append(part.Text);
                    scanner.Read(part.Text!);
                    break;
                case Kind.Identifier:
                    var names = ((RawSqlIdentifier)part.Value!).Parts;
                    sql.AppendJoin('.', dialect is null ? names : names.Select(dialect.QuoteIdentifier));
                    break;
                case Kind.Value or Kind.SensitiveValue when part.Value is IEnumerable list && part.Value is not (string or byte[]) && FollowsIn(sql):
                    // One parameter per item, as in a hand-written IN list: the same on every engine.
                    var first = index;
                    foreach (var item in list)
                    {
                        sql.Append(index == first ? "(" : ", ");
                        AddParameter(sql, parameters, sensitive, part, ref index, item);
                    }

                    sql.Append(index == first ? EmptySet : ")");
                    break;
                default:
                    AddParameter(sql, parameters, sensitive, part, ref index, part.Value);
                    break;
            }
        }

        return (sql.ToString(), parameters, sensitive);
    }

    private static void AddParameter(StringBuilder sql, DynamicParameters parameters, HashSet<string> sensitive, Part part, ref int index, object? value)
    {
        var name = "p" + index++.ToString(CultureInfo.InvariantCulture);
        sql.Append('@').Append(name);
        parameters.Add(name, value);
        if (part.Kind == Kind.SensitiveValue)
        {
            sensitive.Add(name);
        }
    }

    // Whether the SQL so far ends with the keyword IN (a list hole there is an IN list).
    private static bool FollowsIn(StringBuilder sql)
    {
        var end = sql.Length;
        while (end > 0 && char.IsWhiteSpace(sql[end - 1]))
        {
            end--;
        }

        return end >= 2 && char.ToUpperInvariant(sql[end - 2]) == 'I' && char.ToUpperInvariant(sql[end - 1]) == 'N' && (end == 2 || !char.IsLetterOrDigit(sql[end - 3]) && sql[end - 3] != '_');
    }

    // A hole inside quotes or a comment would be sent as the text "@p0", never as the value: a silent wrong result.
    private static ArgumentException HoleInside(string inside, string sqlBefore) => new(
        $"A hole of Raw($\"...\") is inside {inside}, after: {sqlBefore}{Environment.NewLine}" +
        "A hole is sent as a parameter, which SQL does not read inside quotes or comments. Write the hole without quotes " +
        "(WHERE name = {name}, not '{name}'); build a LIKE pattern in C# and pass it whole ({\"%\" + term + \"%\"}); for a name, use {RawSql.Identifier(name)} without quotes.",
        "sql");

    private enum Kind
    {
        Literal,
        Value,
        SensitiveValue,
        Identifier,
    }

    private readonly record struct Part(string? Text, object? Value, Kind Kind);
}
