namespace Premix.AspNetCore;

/// <summary>How <see cref="PremixProblemDetailsExtensions.AddPremixProblemDetails"/> writes Premix's exceptions as problem details.</summary>
public sealed class PremixProblemDetailsOptions
{
    /// <summary>
    /// The start of every problem's <c>type</c>, followed by a name of <see cref="PremixProblemTypes"/>. The default,
    /// <c>urn:premix:problem:</c>, is stable but not a web page; set your API's documentation address (ending in
    /// <c>/</c>) to make the types links clients can follow.
    /// </summary>
    public string TypeBaseUri { get; set; } = "urn:premix:problem:";

    /// <summary>
    /// The <c>Retry-After</c> sent with a 503 (a full connection pool, a database failing for now). Premix has already
    /// waited for a connection and retried transient failures, so the client should wait a little longer than that.
    /// </summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(5);
}
