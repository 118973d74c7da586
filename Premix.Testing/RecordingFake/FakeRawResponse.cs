using System.Globalization;

namespace Premix.Testing;

/// <summary>
/// What the fake answers to the raw statements one <c>OnRaw</c> matches: rows, an affected-row count, or an error. The
/// fake does not interpret SQL, so a raw statement nothing scripted throws, naming the SQL to script.
/// </summary>
public sealed class FakeRawResponse
{
    private Func<RecordedRawStatement, IEnumerable<object?>>? _rows;
    private int? _affected;
    private Exception? _error;

    internal FakeRawResponse(Func<RecordedRawStatement, bool> matches) => Matches = matches;

    internal Func<RecordedRawStatement, bool> Matches { get; }

    /// <summary>Answers <c>FetchAs&lt;T&gt;</c> with <paramref name="rows"/> (each a <c>T</c>) and <c>ScalarAs&lt;T&gt;</c> with the first one.</summary>
    public FakeRawResponse Returns(params object?[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Returns(_ => rows);
    }

    /// <summary>Answers with rows computed from the statement (its parameters, say).</summary>
    public FakeRawResponse Returns(Func<RecordedRawStatement, IEnumerable<object?>> rows)
    {
        _rows = rows ?? throw new ArgumentNullException(nameof(rows));
        return this;
    }

    /// <summary>Answers <c>ExecuteAsync</c> with <paramref name="rows"/> affected rows.</summary>
    public FakeRawResponse Affects(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        _affected = rows;
        return this;
    }

    /// <summary>Makes the statement fail with <paramref name="error"/> (a <see cref="DatabaseCommandException"/>, say).</summary>
    public FakeRawResponse Throws(Exception error)
    {
        _error = error ?? throw new ArgumentNullException(nameof(error));
        return this;
    }

    internal List<T> Rows<T>(RecordedRawStatement statement, int limit)
    {
        ThrowIfFailing();
        var rows = _rows?.Invoke(statement) ?? throw Unscripted(statement, "rows", "Returns(...)");
        return rows.Take(limit).Select(row => row is T typed ? typed : throw new InvalidOperationException(
            $"The fake's scripted rows for '{statement.Sql}' include a {row?.GetType().Name ?? "null"}, but the code reads {typeof(T).Name} rows. Script {typeof(T).Name} objects.")).ToList();
    }

    internal T? Scalar<T>(RecordedRawStatement statement)
    {
        ThrowIfFailing();
        var value = (_rows?.Invoke(statement) ?? throw Unscripted(statement, "a value", "Returns(value)")).FirstOrDefault();
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return value is null ? default : value is T typed ? typed : (T)Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }

    internal int Affected(RecordedRawStatement statement)
    {
        ThrowIfFailing();
        return _affected ?? throw Unscripted(statement, "an affected-row count", "Affects(n)");
    }

    internal static InvalidOperationException Unscripted(RecordedRawStatement statement, string what, string how) => new(
        $"The recording fake has no answer for the raw statement '{statement.Sql}' ({statement.Kind}): it does not run SQL. Script {what} with fake.OnRaw(\"...\").{how}, or test this code against a real database.");

    private void ThrowIfFailing()
    {
        if (_error is not null)
        {
            throw _error;
        }
    }
}
