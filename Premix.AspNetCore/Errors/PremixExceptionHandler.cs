using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Premix.AspNetCore;

/// <summary>
/// Answers Premix's exceptions with problem details through <see cref="IProblemDetailsService"/>, so the application's
/// own problem-details customizations apply; returns <see langword="false"/> for any other exception. A tenant-required
/// answer is also logged (Warning): the same exception comes from a server-side fault, which the 400 alone would hide.
/// </summary>
internal sealed class PremixExceptionHandler(IProblemDetailsService problemDetails, IOptions<PremixProblemDetailsOptions> options, ILogger<PremixExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (PremixProblems.For(exception) is not var (problem, retryAfter))
        {
            return false;
        }

        if (exception is TenantRequiredException)
        {
            PremixProblemLog.TenantRequiredAnswered(logger, httpContext.Request.Method, httpContext.Request.Path.Value ?? "/");
        }

        var settings = options.Value;
        problem.Type = settings.TypeBaseUri + problem.Type;
        problem.Instance = httpContext.Request.Path;
        problem.Extensions["traceId"] = Activity.Current?.Id ?? httpContext.TraceIdentifier;
        httpContext.Response.StatusCode = problem.Status!.Value;
        if (retryAfter)
        {
            httpContext.Response.Headers.RetryAfter = Math.Ceiling(settings.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception }).ConfigureAwait(false);
    }
}
