using Premix.Tracking;

namespace Premix.Testing;

/// <summary>Starts a <see cref="QueryRecorder"/> on a Premix instance or on one unit of work.</summary>
public static class PremixQueryRecording
{
    /// <summary>
    /// Records the statements <paramref name="premix"/> sends in the current async flow until the recorder is disposed: from
    /// every unit of work (injected or begun), repository, query and raw statement of that instance.
    /// </summary>
    /// <param name="premix">The instance the application uses: built by <c>PremixFactory.Create</c> or resolved from dependency injection.</param>
    /// <param name="options">N+1 detection; off when left out.</param>
    /// <exception cref="ArgumentException"><paramref name="premix"/> is not an instance Premix built (a fake), or <paramref name="options"/> are invalid.</exception>
    public static QueryRecorder RecordQueries(this IPremix premix, QueryRecordingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(premix);
        var database = premix as PremixDatabase
            ?? throw new ArgumentException($"RecordQueries records what Premix sends to a database, through an IPremix built by PremixFactory.Create or AddPremix; a {premix.GetType().Name} sends nothing to record.", nameof(premix));
        return new QueryRecorder(database.Executor, null, options ?? new QueryRecordingOptions());
    }

    /// <summary>Records only the statements <paramref name="unitOfWork"/> sends in the current async flow until the recorder is disposed.</summary>
    /// <param name="unitOfWork">A unit of work of Premix: injected, or from <c>premix.BeginUnitOfWork()</c>.</param>
    /// <param name="options">N+1 detection; off when left out.</param>
    /// <exception cref="ArgumentException"><paramref name="unitOfWork"/> is not a unit of work Premix built (a fake), or <paramref name="options"/> are invalid.</exception>
    public static QueryRecorder RecordQueries(this IUnitOfWork unitOfWork, QueryRecordingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(unitOfWork);
        var own = unitOfWork as UnitOfWork
            ?? throw new ArgumentException($"RecordQueries records what Premix sends to a database, through a unit of work Premix began; a {unitOfWork.GetType().Name} sends nothing to record.", nameof(unitOfWork));
        return new QueryRecorder(own.Executor, own, options ?? new QueryRecordingOptions());
    }
}
