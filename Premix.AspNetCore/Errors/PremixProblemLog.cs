using Microsoft.Extensions.Logging;

namespace Premix.AspNetCore;

/// <summary>The log events of the problem-details mapping (<see cref="PremixExceptionHandler"/>).</summary>
internal static partial class PremixProblemLog
{
    // The path only: the query string may hold values the application did not mean for logs, and no tenant was resolved.
    [LoggerMessage(EventId = 1700, EventName = nameof(PremixEventId.TenantRequiredAnswered), Level = LogLevel.Warning,
        Message = "{Method} {Path} named no tenant and was answered 400 tenant-required. If the client did send one, the tenant resolver (its header or claim) or code that lost the ambient tenant is at fault.")]
    public static partial void TenantRequiredAnswered(ILogger logger, string method, string path);
}
