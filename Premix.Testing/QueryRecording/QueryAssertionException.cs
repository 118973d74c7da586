namespace Premix.Testing;

/// <summary>
/// A query assertion of a <see cref="QueryRecorder"/> failed: the message says what was expected and lists every recorded
/// statement. Framework-neutral: NUnit, xUnit and MSTest report it as a failed test like their own assertion exceptions.
/// </summary>
public class QueryAssertionException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public QueryAssertionException(string message)
        : base(message)
    {
    }
}
