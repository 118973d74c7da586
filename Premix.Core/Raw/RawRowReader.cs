using System.Data.Common;
using Dapper;
using Premix.Execution;

namespace Premix;

/// <summary>
/// Maps the rows of a raw statement onto <typeparamref name="T"/> with Dapper, once the columns are known: renamed by the
/// model's naming first (<see cref="RawColumnNames"/>), and in strict mode checked so that no column fits nothing. A
/// single value (a number, a string) is converted to <typeparamref name="T"/> as Dapper's <c>Query&lt;T&gt;</c> converts it.
/// </summary>
/// <param name="renames">The model's renaming of the columns, or <see langword="null"/>.</param>
/// <param name="strictNames">In strict mode, the names a column must bind to (<see cref="RawTarget{T}.Names"/>); <see langword="null"/> checks nothing.</param>
/// <param name="scalar">Whether the first column of each row is read as one value (<c>ScalarAs</c>).</param>
internal sealed class RawRowReader<T>(IReadOnlyDictionary<string, string>? renames, HashSet<string>? strictNames, bool scalar = false) : RowReader
{
    /// <summary>The first column of each row as <typeparamref name="T"/>, NULL read as <see langword="null"/> (what <c>ScalarAs</c> reads with dynamic code).</summary>
    public static RawRowReader<T> Scalar { get; } = new(null, strictNames: null, scalar: true);

    public override Func<DbDataReader, object> Open(DbDataReader reader, string sql)
    {
        // Dapper matches columns to members by the names it sees when it builds the parser (renamed, if the model names
        // them otherwise); the parser then reads each row by position, from the driver's reader itself.
        var names = renames is null ? reader : new RenamedColumnsReader(reader, renames);
        RawTarget.ThrowIfUnmatched(typeof(T), strictNames, names, sql);

        var parse = names.GetRowParser(typeof(T));
        // A class or record built from its members needs no conversion of the value Dapper returns.
        return FirstColumnReader<T>.IsObject ? parse : row => Convert(parse(row))!;
    }

    private object? Convert(object? value) => FirstColumnReader<T>.Convert(value, nullable: scalar);
}
