namespace Premix.Testing;

/// <summary>How a raw statement was run.</summary>
public enum RawStatementKind
{
    /// <summary><c>FetchAs</c>, <c>FetchOneAs</c> or <c>FetchSingleAs</c>: rows expected.</summary>
    Fetch,

    /// <summary><c>ScalarAs</c>: one value expected.</summary>
    Scalar,

    /// <summary><c>ExecuteAsync</c>: a count of affected rows expected.</summary>
    Execute,
}
