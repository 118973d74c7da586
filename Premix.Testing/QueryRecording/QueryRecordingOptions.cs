using Microsoft.Extensions.Logging;

namespace Premix.Testing;

/// <summary>How a <see cref="QueryRecorder"/> treats what it records: N+1 detection, its threshold and its allowed cases.</summary>
public sealed class QueryRecordingOptions
{
    private readonly HashSet<string> _allowedEntities = new(StringComparer.Ordinal);
    private readonly HashSet<string> _allowedMembers = new(StringComparer.Ordinal);

    /// <summary>What a detected N+1 does: nothing (the default), throw <see cref="NPlusOneException"/>, or log a warning to <see cref="Logger"/>.</summary>
    public NPlusOneMode NPlusOne { get; set; } = NPlusOneMode.Off;

    /// <summary>How many times the same SELECT must run from one call site in one unit of work to be an N+1 (default 5, at least 2).</summary>
    public int NPlusOneThreshold { get; set; } = 5;

    /// <summary>Where <see cref="NPlusOneMode.Warn"/> writes its warnings (event id 1500, <c>NPlusOneDetected</c>).</summary>
    public ILogger? Logger { get; set; }

    /// <summary>Allows repeated reads of <typeparamref name="T"/>: a known case, such as a small fixed list read key by key on purpose.</summary>
    /// <returns>These options, for chaining.</returns>
    public QueryRecordingOptions AllowNPlusOne<T>()
        where T : class
    {
        _allowedEntities.Add(typeof(T).Name);
        return this;
    }

    /// <summary>Allows repeated reads sent from <paramref name="member"/>, written as the N+1 message names the call site: <c>"ReportJob.RunAsync"</c>.</summary>
    /// <returns>These options, for chaining.</returns>
    public QueryRecordingOptions AllowNPlusOneIn(string member)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(member);
        _allowedMembers.Add(member);
        return this;
    }

    internal bool IsAllowed(string? entity, StatementCallSite? callSite) =>
        (entity is not null && _allowedEntities.Contains(entity)) || (callSite is not null && _allowedMembers.Contains(callSite.Member));

    internal void Validate()
    {
        if (NPlusOneThreshold < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(NPlusOneThreshold), NPlusOneThreshold, "NPlusOneThreshold is the number of repetitions that make an N+1 and must be at least 2.");
        }

        if (NPlusOne == NPlusOneMode.Warn && Logger is null)
        {
            throw new ArgumentException("NPlusOne = NPlusOneMode.Warn writes its warnings to Logger: set Logger (an ILogger from your logger factory), or use NPlusOneMode.Throw.", nameof(Logger));
        }
    }
}
