namespace Premix.Testing;

/// <summary>A test scope could not begin its transaction, or ended while the code under test still used its connection.</summary>
public sealed class TestScopeException : PremixException
{
    /// <summary>Creates the exception with what happened and what to do.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The driver's error, when there is one.</param>
    public TestScopeException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
