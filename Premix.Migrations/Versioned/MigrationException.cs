namespace Premix.Migrations;

/// <summary>
/// Versioned migrations cannot go on: a malformed file, an applied file that changed, a failed migration, a failed
/// earlier run that needs repair, or a lock that was not acquired. The message names the file and what to do.
/// </summary>
public sealed class MigrationException : PremixException
{
    /// <summary>Creates the exception with a message a user can act on.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="fileName">The migration file concerned, if one is.</param>
    /// <param name="innerException">The database's exception, if the database failed.</param>
    public MigrationException(string message, string? fileName = null, Exception? innerException = null)
        : base(message, innerException)
    {
        FileName = fileName;
    }

    /// <summary>The migration file concerned (its name, without folder), or <see langword="null"/> when several or none are.</summary>
    public string? FileName { get; }
}
