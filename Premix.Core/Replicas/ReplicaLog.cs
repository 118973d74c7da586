using Microsoft.Extensions.Logging;

namespace Premix.Execution;

/// <summary>The log events of read routing (<see cref="Replicas.ReplicaRouter"/>).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1600, EventName = nameof(PremixEventId.ReadRouted), Level = LogLevel.Debug,
        Message = "Read routed to the {Target} {Address}: {Reason}")]
    public static partial void ReadRouted(ILogger logger, string target, string address, string reason);

    [LoggerMessage(EventId = 1601, EventName = nameof(PremixEventId.ReplicaSkipped), Level = LogLevel.Warning,
        Message = "Read replica {Address} skipped for {RecheckSeconds:0.#}-{RecheckSeconds2:0.#} s ({Reason}): {Detail}")]
    private static partial void ReplicaSkipped(ILogger logger, string address, double recheckSeconds, double recheckSeconds2, string reason, string detail);

    public static void ReplicaSkipped(ILogger logger, string address, string reason, double recheckSeconds, string detail) =>
        ReplicaSkipped(logger, address, recheckSeconds, recheckSeconds * 2, reason, detail);

    [LoggerMessage(EventId = 1602, EventName = nameof(PremixEventId.CommitPositionUnread), Level = LogLevel.Warning,
        Message = "The commit landed but the primary's position could not be read after it, so this unit of work's reads go to the primary until its next commit: {Detail}")]
    public static partial void CommitPositionUnread(ILogger logger, string detail);
}
