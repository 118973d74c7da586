namespace Premix.Testing;

/// <summary>
/// Strict N+1 detection (<see cref="NPlusOneMode.Throw"/>) saw the same SELECT run once per row: the message names the
/// statement, the call site, the fix and how to allow the case if it is intended.
/// </summary>
public sealed class NPlusOneException : QueryAssertionException
{
    internal NPlusOneException(string message, StatementCallSite? callSite, string sql)
        : base(message)
    {
        CallSite = callSite;
        Sql = sql;
    }

    /// <summary>The code that sent the repeated statement.</summary>
    public StatementCallSite? CallSite { get; }

    /// <summary>The repeated statement.</summary>
    public string Sql { get; }
}
