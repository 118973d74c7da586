namespace Premix;

/// <summary>The base of every exception Premix raises about data access, so callers can catch them in one place.</summary>
public class PremixException : Exception
{
    /// <summary>Creates the exception with a message a user can act on.</summary>
    public PremixException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public PremixException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
