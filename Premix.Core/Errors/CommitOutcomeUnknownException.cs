namespace Premix;

/// <summary>
/// The connection was lost while COMMIT was on its way or its answer was: the database may have saved the changes or
/// not. Premix does not retry such a commit by itself, since a retry could write the changes twice; the tracked objects
/// are left as they were before the commit. Reload what you need to find out, or give the unit of work a way to check
/// (<see cref="IUnitOfWork.VerifyCommitWith"/>) so Premix can tell and retry only a commit that did not land.
/// </summary>
public sealed class CommitOutcomeUnknownException : PremixException
{
    /// <summary>Creates the exception with the error that broke the connection.</summary>
    public CommitOutcomeUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
